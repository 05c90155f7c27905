using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using Cm.Pure.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Editing;

/// <summary>
/// An n×n orthonormal matrix Q in float32, row-major (<c>Q[d, e]</c> = row d, column e): the change of
/// basis A = Qᵀ of the paper's Algorithm 4 (Song et al. 2023, §5 / Appendix D, "zero-shot image editing").
/// Coordinates of a vector x are y = Qᵀx; the edit keeps some coordinates of the reference and the rest of
/// the model's estimate, then maps back with Q. Validated once: square, finite, and |QᵀQ − I| ≤ 1e-5
/// elementwise (the float32 rounding of an exact orthogonal matrix is within a few 1e-8).
/// </summary>
public sealed record OrthonormalBasis
{
    private OrthonormalBasis(int n, ImmutableArray<float> q) => (N, Q) = (n, q);

    /// <summary>Largest |QᵀQ − I| accepted, in double.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>The dimension n.</summary>
    public int N { get; }

    /// <summary>The n·n entries, row-major.</summary>
    public ImmutableArray<float> Q { get; }

    /// <summary>Entry Q[row, column].</summary>
    public float this[int row, int column] => Q[row * N + column];

    /// <summary>A basis from n·n row-major float32 entries.</summary>
    [Pure]
    public static Fin<OrthonormalBasis> Create(int n, ReadOnlySpan<float> rowMajor)
    {
        if (n < 1) return FinFail<OrthonormalBasis>(new InvalidBasis($"dimension {n}: must be at least 1"));
        if (rowMajor.Length != n * n) return FinFail<OrthonormalBasis>(new InvalidBasis($"{rowMajor.Length} entries for a {n}x{n} matrix"));
        foreach (var v in rowMajor)
            if (!float.IsFinite(v)) return FinFail<OrthonormalBasis>(new InvalidBasis($"entry {v} is not finite"));
        var worst = OrthogonalityError(n, rowMajor);
        return worst <= Tolerance
            ? FinSucc(new OrthonormalBasis(n, [.. rowMajor]))
            : FinFail<OrthonormalBasis>(new InvalidBasis($"max |QᵀQ − I| = {worst:G3} exceeds {Tolerance:G3}; the columns must be orthonormal"));
    }

    /// <summary>max over (e, f) of |Σ_d Q[d,e]·Q[d,f] − δ_ef|, in double.</summary>
    [Pure]
    public static double OrthogonalityError(int n, ReadOnlySpan<float> q)
    {
        var worst = 0.0;
        for (var e = 0; e < n; e++)
            for (var f = 0; f < n; f++)
            {
                var s = 0.0;
                for (var d = 0; d < n; d++) s += (double)q[d * n + e] * q[d * n + f];
                worst = Math.Max(worst, Math.Abs(s - (e == f ? 1.0 : 0.0)));
            }
        return worst;
    }

    /// <summary>
    /// openai's construction (<c>obtain_orthogonal_matrix</c> in <c>iterative_colorization</c> and
    /// <c>iterative_superres</c>): the Householder QR of the identity with column 0 replaced by
    /// <c>v/‖v‖</c>, Q negated if the sum of its column 0 is negative, rounded to float32. Column 0 is then
    /// ±v/‖v‖ and only it matters mathematically (the replacement is q₀q₀ᵀ·ref + (I − q₀q₀ᵀ)·x0 for any
    /// completion); the other columns follow LAPACK's dgeqr2/dorg2r order in double (see
    /// <see cref="Householder"/>), so their last bits may differ from another LAPACK's.
    /// </summary>
    [Pure]
    public static Fin<OrthonormalBasis> FromFirstColumn(ReadOnlySpan<double> v)
    {
        var n = v.Length;
        if (n < 1) return FinFail<OrthonormalBasis>(new InvalidBasis("empty first column"));
        var norm = 0.0;
        foreach (var x in v) norm += x * x;
        norm = Math.Sqrt(norm);
        if (!(norm > 0) || !double.IsFinite(norm)) return FinFail<OrthonormalBasis>(new InvalidBasis("the first column must be finite and non-zero"));
        var a = new double[n * n];
        for (var i = 0; i < n; i++) a[i * n + i] = 1.0;
        for (var i = 0; i < n; i++) a[i * n] = v[i] / norm;
        var q = Householder.Q(n, a);
        var sum = 0.0;
        for (var i = 0; i < n; i++) sum += q[i * n];
        var sign = sum < 0 ? -1.0 : 1.0;
        var f = new float[n * n];
        for (var i = 0; i < f.Length; i++) f[i] = (float)(sign * q[i]);
        return Create(n, f);
    }
}
