using System.Globalization;
using Cm.Pure.Config;
using Cm.Pure.Scalings;
using TorchSharp;

namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// What an analytic model recovers from its inputs <c>(scaledSample, t)</c>: the sampler's float32 noise
/// level σ and the scalings the sampler will apply, so that the model can answer in the
/// c_skip/c_out parameterisation of Song et al. (2023, Appendix C).
/// </summary>
/// <remarks>
/// <para><b>σ from t.</b> The sampler passes t = 250·ln(σ₆₄ + 10⁻⁴⁴) (<see cref="Cm.Pure.Schedules.Karras.SigmaToT"/>),
/// where σ₆₄ is the float64 Karras level and the schedule's own σ is its float32 rounding f(σ₆₄). The model
/// computes σ = f(exp(t / 250)). exp∘ln returns σ₆₄ to within a few float64 ulps (≈10⁻¹⁵ relative), so the
/// rounding to float32 gives the schedule's σ except when σ₆₄ lies within 10⁻¹⁵ of a float32 rounding
/// boundary (probability ≈ 10⁻⁸ per level); even then σ is one float32 ulp off, which moves f by a few ulps.</para>
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
    /// <summary>The level of timestep <paramref name="t"/> under <paramref name="config"/>: σ = f(exp(t/250)).</summary>
    public static NoiseLevel FromTimestep(double t, ValidConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var sigma = (float)Math.Exp(t / 250.0);
        if (!float.IsFinite(sigma) || sigma <= 0f)
            throw new ArgumentOutOfRangeException(nameof(t), t.ToString("R", CultureInfo.InvariantCulture),
                "the timestep gives no finite positive noise level sigma = exp(t / 250)");
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
