namespace Cm.Pure.Editing;

/// <summary>
/// The Q factor of a Householder QR in double, in the order of reference LAPACK's unblocked routines
/// (dgeqr2 with dlarfg and dlarf, then dorg2r; numpy's <c>linalg.qr</c> calls these for n &lt; 128): reflector
/// j is H_j = I − τ_j·v_j·v_jᵀ with v_j[0] = 1, β = −sign(α)·‖(α, x)‖, τ = (β − α)/β, v = x·(1/(α − β)).
/// Q = H_0·H_1·…·H_{n−1}. Used only to build <see cref="OrthonormalBasis"/>; the sums run in index order.
/// </summary>
internal static class Householder
{
    /// <summary>Q of the n×n row-major matrix <paramref name="a"/> (overwritten).</summary>
    public static double[] Q(int n, double[] a)
    {
        var tau = new double[n];
        for (var j = 0; j < n; j++)
        {
            tau[j] = Reflector(n, a, j);
            if (j < n - 1) ApplyLeft(n, a, j, tau[j], j + 1);
        }
        // dorg2r: build Q in place from the reflectors, last first.
        var q = a;
        for (var j = n - 1; j >= 0; j--)
        {
            if (j < n - 1)
            {
                q[j * n + j] = 1.0;
                ApplyLeft(n, q, j, tau[j], j + 1);
            }
            for (var i = j + 1; i < n; i++) q[i * n + j] *= -tau[j];
            q[j * n + j] = 1.0 - tau[j];
            for (var l = 0; l < j; l++) q[l * n + j] = 0.0;
        }
        return q;
    }

    /// <summary>dlarfg on column j, rows j..n−1: returns τ; leaves β on the diagonal and v below it.</summary>
    private static double Reflector(int n, double[] a, int j)
    {
        var alpha = a[j * n + j];
        var ss = 0.0;
        for (var i = j + 1; i < n; i++) ss += a[i * n + j] * a[i * n + j];
        var xnorm = Math.Sqrt(ss);
        if (xnorm == 0.0) return 0.0;
        var beta = -Math.CopySign(Hypot(alpha, xnorm), alpha);
        var tau = (beta - alpha) / beta;
        var scale = 1.0 / (alpha - beta);
        for (var i = j + 1; i < n; i++) a[i * n + j] *= scale;
        a[j * n + j] = beta;
        return tau;
    }

    /// <summary>dlarf from the left on columns c0..n−1, rows j..n−1, with v = (1, a[j+1.., j]): w = Cᵀv, C −= τ·v·wᵀ.</summary>
    private static void ApplyLeft(int n, double[] a, int j, double tau, int c0)
    {
        if (tau == 0.0) return;
        var diag = a[j * n + j];
        a[j * n + j] = 1.0;
        for (var c = c0; c < n; c++)
        {
            var w = 0.0;
            for (var i = j; i < n; i++) w += a[i * n + c] * a[i * n + j];
            var t = -tau * w;
            for (var i = j; i < n; i++) a[i * n + c] += a[i * n + j] * t;
        }
        a[j * n + j] = diag;
    }

    /// <summary>dlapy2: √(x² + y²) without needless overflow.</summary>
    private static double Hypot(double x, double y)
    {
        double ax = Math.Abs(x), ay = Math.Abs(y);
        var w = Math.Max(ax, ay);
        var z = Math.Min(ax, ay);
        return z == 0.0 ? w : w * Math.Sqrt(1.0 + (z / w) * (z / w));
    }
}
