using System.Globalization;
using Cm.Pure.Config;
using Cm.Pure.Sampling;
using Cm.Pure.Scalings;
using Cm.Pure.Schedules;
using TorchSharp;

namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// What an analytic model needs besides the scaled sample: the sampler's float32 noise level σ and the scalings
/// the sampler will apply (the core's <see cref="EdmScalings"/> of σ under the model's config), so that the model
/// can answer in the c_skip/c_out parameterisation of Song et al. (2023, Appendix C).
/// </summary>
/// <remarks>
/// <para><b>σ.</b> The sampling loops hand the model the step's scalars, so σ is the schedule's own float32 level
/// (<see cref="FromStep"/>). A caller that has only t gets σ from the core's inverse of t(σ),
/// <see cref="Karras.SigmaOfT"/> (<see cref="FromTimestep"/>), which can be one float32 ulp off near a rounding boundary.</para>
/// <para><b>x from the scaled sample.</b> The sampler divided by the float32 divisor
/// <see cref="EdmScalings.InputDivisor"/>(σ); the model multiplies back in float64:
/// x = scaled · √(σ² + σ_d²), equal to the sampler's sample up to one float32 rounding (2⁻²⁴ relative).</para>
/// <para><b>F from f.</b> Given the consistency function f(x, σ) (float64), the raw output is
/// F = (f − c_skip·x) / c_out with the sampler's float32 c_skip, c_out widened exactly, so that the sampler's
/// c_out·F + c_skip·x (float32) returns f up to float32 rounding of its two products and sum. At σ = σ_min,
/// c_out = 0 and the sampler ignores F: the model returns zeros there.</para>
/// </remarks>
/// <param name="Sigma">The recovered float32 noise level σ.</param>
/// <param name="InputDivisor">√(σ² + σ_d²) in float32, as the sampler computed it.</param>
/// <param name="CSkip">Boundary-condition c_skip(σ) in float32.</param>
/// <param name="COut">Boundary-condition c_out(σ) in float32 (0 at σ = σ_min).</param>
public readonly record struct NoiseLevel(float Sigma, float InputDivisor, float CSkip, float COut)
{
    /// <summary>The level of a step of the core's schedule: its σ, with the scalings of <paramref name="config"/>.</summary>
    public static NoiseLevel FromStep(StepScalars step, ValidConfig config) => At(step.Sigma, config);

    /// <summary>The level of timestep <paramref name="t"/> under <paramref name="config"/>: σ = <see cref="Karras.SigmaOfT"/>(t).</summary>
    public static NoiseLevel FromTimestep(double t, ValidConfig config)
    {
        var sigma = Karras.SigmaOfT(t);
        if (!float.IsFinite(sigma) || sigma <= 0f)
            throw new ArgumentOutOfRangeException(nameof(t), t.ToString("R", CultureInfo.InvariantCulture),
                "the timestep gives no finite positive noise level sigma = exp(t / 250)");
        return At(sigma, config);
    }

    private static NoiseLevel At(float sigma, ValidConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var bc = EdmScalings.BoundaryCondition(sigma, config);
        return new NoiseLevel(sigma, EdmScalings.InputDivisor(sigma, config), bc.CSkip, bc.COut);
    }

    /// <summary>The sampler's sample x = scaled · √(σ² + σ_d²), as a new float64 tensor on the input's device.</summary>
    public torch.Tensor Unscale(torch.Tensor scaledSample)
    {
        ArgumentNullException.ThrowIfNull(scaledSample);
        using var x = scaledSample.to(torch.float64);
        return x.mul((double)InputDivisor);
    }

    /// <summary>
    /// The raw network output F = (f − c_skip·x) / c_out (float64 arithmetic, then cast to
    /// <paramref name="dtype"/>); zeros of that dtype when c_out = 0 (σ = σ_min).
    /// </summary>
    public torch.Tensor RawOutput(torch.Tensor f, torch.Tensor x, torch.ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(x);
        if (COut == 0f) return torch.zeros_like(x, dtype: dtype);
        using var skip = x.mul((double)CSkip);
        using var diff = f.sub(skip);
        var raw = diff.div((double)COut);
        if (raw.dtype == dtype) return raw;
        using (raw) return raw.to(dtype);
    }
}
