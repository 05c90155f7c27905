using System.Diagnostics.Contracts;
using Cm.Pure.Schedules.Arithmetic;

namespace Cm.Pure.Schedules;

/// <summary>
/// The Karras et al. (2022, eq. 5) noise levels and the EDM time parameterisation, in float64,
/// exactly as diffusers evaluates them (golden README, "Schedules").
/// </summary>
public static class Karras
{
    /// <summary>
    /// σ(r) = (σ_max^(1/ρ) + r·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ for a ramp value r ∈ [0, 1]:
    /// r = 0 gives σ_max, r = 1 gives σ_min. <c>1/ρ</c> is taken in double; the bracket subtracts
    /// first, then multiplies, then adds. The two σ^(1/ρ) are Python float powers (the C library's
    /// <c>pow</c>, glibc on Linux); the outer power is numpy's <c>ndarray ** rho</c>, which depends on
    /// <paramref name="math"/>.
    /// </summary>
    [Pure]
    public static double Sigma(double r, double sigmaMin, double sigmaMax, double rho, ScheduleMath math)
    {
        var invRho = 1.0 / rho;
        var lo = Math.Pow(sigmaMin, invRho);
        var hi = Math.Pow(sigmaMax, invRho);
        return math.ArrayPower(hi + r * (lo - hi), rho);
    }

    /// <summary>
    /// <c>sigma_to_t</c>: t = 1000·0.25·ln(σ + 1e-44) (Karras et al. 2022, Table 1, the EDM
    /// c_noise = ¼·ln σ, scaled by 1000). The constant is exactly 250; 1e-44 only matters for tiny σ.
    /// The logarithm is numpy's <c>np.log</c>, which depends on <paramref name="math"/>.
    /// </summary>
    [Pure]
    public static double SigmaToT(double sigma, ScheduleMath math) => 250.0 * math.ArrayLog(sigma + 1e-44);

    /// <summary>
    /// The inverse of <see cref="SigmaToT"/> rounded to float32, f(exp(t/250)), for a caller that is handed only t
    /// (an analytic model called as a network). exp∘ln returns the float64 level to within a few ulps, so this is the
    /// schedule's float32 σ except within 10⁻¹⁵ of a float32 rounding boundary (then one ulp off); the sampling loops
    /// hand models the schedule's own σ (<see cref="Sampling.StepScalars.Sigma"/>) and never need it.
    /// </summary>
    [Pure]
    public static float SigmaOfT(double t) => (float)Math.Exp(t / 250.0);

    /// <summary>
    /// The training ramp: r_i = i·(1/(N−1)) for i &lt; N−1 (reciprocal rounded first, then the product),
    /// and exactly 1 at the end. This is not i/(N−1): for N = 40 seven values differ in the last bit.
    /// </summary>
    [Pure]
    public static double[] TrainingRamp(int n)
    {
        if (n <= 0) return [];
        var ramp = new double[n];
        if (n == 1) return ramp;
        var step = 1.0 / (n - 1);
        for (var i = 0; i < n - 1; i++) ramp[i] = i * step;
        ramp[n - 1] = 1.0;
        return ramp;
    }
}
