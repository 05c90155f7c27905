using Cm.Pure.Schedules.Arithmetic;
using System.Globalization;
using Cm.Pure.Numerics;
using Cm.Pure.Schedules;

namespace Cm.Pure.Config;

/// <summary>
/// The config checks that arithmetic needs beyond each key's own range: the sampler computes in float32
/// (golden README, "Scalings"), so a σ_max, σ_data or s_noise that is a finite double can still make a
/// schedule entry or a scaling ±∞ or NaN (σ_data = 1e300 squares to ∞; σ_max = 1e30 makes σ² + σ_d²
/// overflow; s_noise = 1e300 rounds to ∞). Such a config would sample NaN or hang the model, so it is
/// invalid input, refused by <see cref="ConfigValidation"/> before any work.
/// </summary>
public static class Float32Range
{
    /// <summary>The problems, given that each key is already within its own range (else none are reported).</summary>
    public static IEnumerable<ConfigProblem> Problems(SchedulerConfig c)
    {
        // Both ends of the Karras schedule, σ(0) = σ_max and σ(1) = σ_min (eq. 5), must come out finite and
        // positive: a ρ far from 7 can make the power overflow or vanish.
        // (Finiteness does not depend on the last bit, so glibc's arithmetic answers for every ScheduleMath.)
        var top = Karras.Sigma(0, c.sigma_min, c.sigma_max, c.rho, ScheduleMath.Glibc);
        var bottom = Karras.Sigma(1, c.sigma_min, c.sigma_max, c.rho, ScheduleMath.Glibc);
        if (!double.IsFinite(top) || !double.IsFinite(bottom) || top <= 0 || bottom <= 0)
        {
            yield return new(ConfigKeys.Rho, Show(c.rho), $"a value for which the Karras schedule is finite (sigma(0) = {Show(top)}, sigma(1) = {Show(bottom)})");
            yield break;
        }
        var sd2 = F32.SquareRounded(c.sigma_data);
        if (!float.IsFinite(sd2))
        {
            yield return new(ConfigKeys.SigmaData, Show(c.sigma_data), $"at most {Show(Math.Sqrt(float.MaxValue))} (its square must be a finite float32)");
            yield break;
        }
        var sMax = F32.Round(c.sigma_max);
        // c_in = 1/√(σ² + σ_d²) and c_skip, c_out at the largest σ (Karras et al. 2022, Table 1).
        if (!float.IsFinite(sMax * sMax + sd2))
            yield return new(ConfigKeys.SigmaMax, Show(c.sigma_max), $"small enough that sigma_max² + sigma_data² is a finite float32 (at most about {Show(Math.Sqrt(float.MaxValue - (double)sd2))})");
        // The largest noise added after a step: s_noise·√(σ_max² − σ_min²) (Algorithm 1, line 5).
        var noise = F32.Round(c.s_noise) * MathF.Sqrt(MathF.Max(sMax * sMax - F32.SquareRounded(c.sigma_min), 0f));
        if (!float.IsFinite(noise))
            yield return new(ConfigKeys.SNoise, Show(c.s_noise), "small enough that s_noise·sigma_max is a finite float32");
    }

    private static string Show(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
