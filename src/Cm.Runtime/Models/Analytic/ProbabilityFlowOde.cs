using System.Globalization;
using TorchSharp;

namespace Cm.Runtime.Models.Analytic;

/// <summary>Error tolerances of the adaptive ODE solver: a step is accepted when the RMS over a sample's
/// elements of err / (atol + rtol·max(|y|, |y_new|)) is at most 1 (Hairer, Nørsett &amp; Wanner, §II.4).</summary>
/// <param name="Rtol">Relative tolerance.</param>
/// <param name="Atol">Absolute tolerance (in data units; the data lie in [−1, 1]).</param>
public sealed record OdeTolerance(double Rtol, double Atol)
{
    /// <summary>rtol = 10⁻⁶, atol = 10⁻⁶: global error of a full σ_max → σ_min solve well below 10⁻⁴ per pixel.</summary>
    public static OdeTolerance Default { get; } = new(1e-6, 1e-6);

    /// <summary><c>rtol=1E-06,atol=1E-06</c>.</summary>
    public override string ToString() =>
        $"rtol={Rtol.ToString("R", CultureInfo.InvariantCulture)},atol={Atol.ToString("R", CultureInfo.InvariantCulture)}";
}

/// <summary>What one solve cost.</summary>
/// <param name="Iterations">Solver iterations (each one attempted step for every unfinished sample).</param>
/// <param name="Evaluations">Batched denoiser evaluations (6 per iteration plus 1: Dormand–Prince with FSAL).</param>
/// <param name="MaxAcceptedSteps">Most accepted steps of any sample.</param>
/// <param name="RejectedSteps">Rejected steps summed over samples.</param>
public readonly record struct OdeStats(int Iterations, int Evaluations, int MaxAcceptedSteps, long RejectedSteps);

/// <summary>
/// The probability-flow ODE of an exactly known denoiser, integrated from σ to σ_min with the
/// Dormand–Prince 5(4) pair (FSAL, local extrapolation), each sample with its own adaptive step size.
/// </summary>
/// <remarks>
/// <para><b>ODE.</b> With σ(t) = t (Karras et al. 2022, eq. 4) the probability-flow ODE is
/// dx/dσ = (x − D(x, σ))/σ. The solver integrates in u = ln σ, where it reads dx/du = x − D(x, eᵘ): the
/// 1/σ singularity disappears and the right-hand side is bounded in σ (for a Gaussian component
/// x − D = (σ²/(s² + σ²))(x − μ)), so steps of fixed accuracy have similar length at every noise level.</para>
/// <para><b>Per-sample control.</b> All samples are advanced together by batched tensor operations, but each
/// has its own position u and step h: a sample whose error estimate exceeds 1 keeps its state and retries
/// with a smaller step, the others move on; a sample that has reached σ_min takes zero-length steps until
/// all have. A sample's trajectory therefore does not depend on the other samples of the batch (up to the
/// rounding of batched matrix products). The step-size update is h ← h·clamp(0.9·err^(−1/5), 0.2, 5)
/// (growth capped at 1 after a rejection); the first trial step is 0.1 in ln σ. The last step is shortened
/// to land exactly on ln σ_min.</para>
/// </remarks>
public static class ProbabilityFlowOde
{
    /// <summary>
    /// Iteration limit of one solve: a default solve from σ_max = 80 takes a few hundred, so 10⁴ is a wide
    /// margin that still ends a runaway solve in seconds rather than hours (a tolerance far too small for
    /// float64 would hit it).
    /// </summary>
    public const int MaxIterations = 10_000;

    /// <summary>The smallest step, relative to the whole interval in ln σ, before a solve is declared stuck.</summary>
    public const double MinRelativeStep = 1e-12;

    // The typed error, carried by the exception a model call may throw (the pipeline turns it into a run failure).
    private static ModelCallException Failed(string reason) =>
        new("ode", new Cm.Runtime.Errors.OdeNotSolved(reason).Message);

    // Dormand–Prince 5(4) tableau.
    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private const double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;
    private const double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920, E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;

    /// <summary>Σ_i c_i·k_i with scalar coefficients, in one new tensor.</summary>
    private static torch.Tensor Combination(params (double C, torch.Tensor K)[] terms)
    {
        var r = terms[0].K.mul(terms[0].C);
        for (var i = 1; i < terms.Length; i++) r.add_(terms[i].K, alpha: terms[i].C);
        return r;
    }

    /// <summary>y + h·Σ_i c_i·k_i with a per-sample step h (<c>[N, 1]</c>), in one new tensor.</summary>
    private static torch.Tensor Stage(torch.Tensor y, torch.Tensor h, params (double C, torch.Tensor K)[] terms) =>
        Combination(terms).mul_(h).add_(y);

    /// <summary>
    /// Integrates dx/dσ = (x − D(x, σ))/σ from <paramref name="sigmaFrom"/> to <paramref name="sigmaTo"/> for every
    /// row of <paramref name="x"/> (float64 <c>[N, D]</c>); returns the end points (a new float64 tensor) and the cost.
    /// </summary>
    /// <param name="denoiser">D(x, σ) for float64 x <c>[N, D]</c> and per-sample σ <c>[N]</c>.</param>
    /// <param name="x">Start points.</param>
    /// <param name="sigmaFrom">Start noise level (&gt; 0).</param>
    /// <param name="sigmaTo">End noise level (&gt; 0), normally σ_min.</param>
    /// <param name="tolerance">Error tolerances.</param>
    public static (torch.Tensor X, OdeStats Stats) Solve(
        Func<torch.Tensor, torch.Tensor, torch.Tensor> denoiser, torch.Tensor x, double sigmaFrom, double sigmaTo, OdeTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(tolerance);
        if (!(sigmaFrom > 0) || !(sigmaTo > 0) || !double.IsFinite(sigmaFrom) || !double.IsFinite(sigmaTo))
            throw new ArgumentOutOfRangeException(nameof(sigmaFrom), "noise levels must be finite and > 0");
        if (x.dim() != 2) throw new ArgumentException("x has shape [N, D]", nameof(x));
        double u0 = Math.Log(sigmaFrom), u1 = Math.Log(sigmaTo);
        var n = x.shape[0];
        if (u0 == u1 || n == 0) return (x.to(torch.float64).clone(), new OdeStats(0, 0, 0, 0));
        using (var finite = x.isfinite().all())
            if (!finite.item<bool>())
                throw Failed("the start point holds NaN or infinite values (the sample overflowed: check sigma_max, sigma_data and s_noise)");
        var minStep = MinRelativeStep * Math.Abs(u1 - u0);
        double dir = Math.Sign(u1 - u0);
        var device = x.device;

        torch.Tensor Rhs(torch.Tensor y, torch.Tensor u)
        {
            using var sigma = u.exp();
            using var d = denoiser(y, sigma);
            return y - d;
        }

        // State, owned here (outside any dispose scope): y, u, step magnitudes hm, FSAL derivative k1, accepted counts.
        torch.Tensor y, u, hm, k1, accepted;
        using (torch.NewDisposeScope())
        {
            y = x.to(torch.float64).clone().DetachFromDisposeScope();
            u = torch.full(new[] { n }, u0, dtype: torch.float64, device: device).DetachFromDisposeScope();
            hm = torch.full(new[] { n }, Math.Min(0.1, Math.Abs(u1 - u0)), dtype: torch.float64, device: device).DetachFromDisposeScope();
            k1 = Rhs(y, u).DetachFromDisposeScope();
            accepted = torch.zeros(new[] { n }, dtype: torch.int64, device: device).DetachFromDisposeScope();
        }
        int iterations = 0, evaluations = 1;
        long rejected = 0;
        try
        {
            while (true)
            {
                if (iterations >= MaxIterations)
                    throw Failed($"it did not finish in {MaxIterations} iterations ({tolerance}); loosen the tolerance");
                torch.Tensor y2, u2, hm2, k12, acc2;
                bool done, stuck;
                using (torch.NewDisposeScope())
                {
                    var remaining = (u1 - u) * dir;                      // ≥ 0
                    var h = torch.minimum(hm, remaining);                // step magnitude, 0 for finished samples
                    var hs = (h * dir).unsqueeze(1);                     // signed step, [N, 1]
                    var hv = h * dir;                                    // [N]
                    var k2 = Rhs(Stage(y, hs, (A21, k1)), u + C2 * hv);
                    var k3 = Rhs(Stage(y, hs, (A31, k1), (A32, k2)), u + C3 * hv);
                    var k4 = Rhs(Stage(y, hs, (A41, k1), (A42, k2), (A43, k3)), u + C4 * hv);
                    var k5 = Rhs(Stage(y, hs, (A51, k1), (A52, k2), (A53, k3), (A54, k4)), u + C5 * hv);
                    var k6 = Rhs(Stage(y, hs, (A61, k1), (A62, k2), (A63, k3), (A64, k4), (A65, k5)), u + hv);
                    var yNew = Stage(y, hs, (B1, k1), (B3, k3), (B4, k4), (B5, k5), (B6, k6));
                    var last = h.eq(remaining);
                    var uNew = torch.where(last, torch.full_like(u, u1), u + hv);
                    var k7 = Rhs(yNew, uNew);
                    var err = Combination((E1, k1), (E3, k3), (E4, k4), (E5, k5), (E6, k6), (E7, k7)).mul_(hs);
                    var scale = torch.maximum(y.abs(), yNew.abs()).mul_(tolerance.Rtol).add_(tolerance.Atol);
                    var en = err.div_(scale).pow_(2).mean(new long[] { 1 }).sqrt_();   // [N]
                    var ok = en.le(1.0).logical_and(en.isfinite());
                    var okCol = ok.unsqueeze(1);
                    var moving = h.gt(0.0).logical_and(ok);

                    var factor = (0.9 * en.clamp_min(1e-300).pow(-0.2)).clamp(0.2, 5.0).nan_to_num(0.2);
                    factor = torch.where(ok, factor, factor.clamp_max(1.0));

                    y2 = torch.where(okCol, yNew, y).DetachFromDisposeScope();
                    u2 = torch.where(ok, uNew, u).DetachFromDisposeScope();
                    k12 = torch.where(okCol, k7, k1).DetachFromDisposeScope();
                    hm2 = torch.where(h.gt(0.0), h * factor, hm).DetachFromDisposeScope();
                    acc2 = (accepted + moving.to(torch.int64)).DetachFromDisposeScope();
                    rejected += ok.logical_not().sum().item<long>();
                    done = u2.eq(u1).all().item<bool>();
                    // A sample that is not done but whose step has collapsed (a non-finite state rejects every step) never finishes.
                    stuck = !done && hm2.lt(minStep).logical_and(u2.ne(u1)).any().item<bool>();
                }
                y.Dispose(); u.Dispose(); hm.Dispose(); k1.Dispose(); accepted.Dispose();
                (y, u, hm, k1, accepted) = (y2, u2, hm2, k12, acc2);
                iterations++;
                evaluations += 6;
                if (done) break;
                if (stuck) throw Failed($"the step size fell below {minStep:g3} in ln(sigma) after {iterations} iterations (the state is not finite or the ODE is too stiff for {tolerance})");
            }
            int maxAccepted;
            using (var m = accepted.max()) maxAccepted = (int)m.item<long>();
            return (y, new OdeStats(iterations, evaluations, maxAccepted, rejected));
        }
        catch
        {
            y.Dispose();
            throw;
        }
        finally
        {
            u.Dispose(); hm.Dispose(); k1.Dispose(); accepted.Dispose();
        }
    }
}
