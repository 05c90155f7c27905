using System.Globalization;
using Cm.Pure.Errors;
using Cm.Pure.Schedules.Arithmetic;
using LanguageExt;

namespace Cm.Pure.Config;

/// <summary>
/// A <see cref="SchedulerConfig"/> that passed <see cref="ConfigValidation.Validate(SchedulerConfig)"/>. Only validation
/// creates one, so every function that takes it may rely on N ≥ 2, 0 &lt; σ_min &lt; σ_max &lt; ∞,
/// σ_data &gt; 0, ρ &gt; 0 and 0 ≤ s_noise &lt; ∞, and on a <see cref="ScheduleMath"/> whose kernels cover
/// its noise levels (<see cref="WithScheduleMath"/>).
/// </summary>
public sealed record ValidConfig
{
    internal ValidConfig(SchedulerConfig value) => Value = value;

    /// <summary>The validated settings.</summary>
    public SchedulerConfig Value { get; }

    /// <summary>N.</summary>
    public int NumTrainTimesteps => Value.num_train_timesteps;

    /// <summary>σ_min.</summary>
    public double SigmaMin => Value.sigma_min;

    /// <summary>σ_max.</summary>
    public double SigmaMax => Value.sigma_max;

    /// <summary>σ_data.</summary>
    public double SigmaData => Value.sigma_data;

    /// <summary>s_noise.</summary>
    public double SNoise => Value.s_noise;

    /// <summary>ρ.</summary>
    public double Rho => Value.rho;

    /// <summary>The float64 log and power the schedule is computed with (default <see cref="ScheduleMath.Glibc"/>).</summary>
    public ScheduleMath ScheduleMath { get; private init; }

    /// <summary>
    /// This config under another schedule arithmetic, or why that arithmetic cannot reproduce it.
    /// <see cref="ScheduleMath.NumpyAvx512"/> is reproduced on SVML's main path only, so it needs
    /// σ_min ≥ 2⁻¹⁰²⁰, σ_max ≤ 2¹⁰²⁰ (|ρ·log₂ base| = |log₂ σ| stays below the kernel's 1021.5) and both
    /// bases σ^(1/ρ) positive normal numbers (ρ = ½, 1, 2 take numpy's exact fast paths and need no more).
    /// </summary>
    public Fin<ValidConfig> WithScheduleMath(ScheduleMath math)
    {
        if (math == ScheduleMath.NumpyAvx512 && Rho is not (0.5 or 1.0 or 2.0))
        {
            var limit = Math.ScaleB(1.0, 1020);
            if (SigmaMin < 1.0 / limit || SigmaMax > limit)
                return new ScheduleMathOutOfRange(math.Name(),
                    $"sigma_min ({Show(SigmaMin)}) and sigma_max ({Show(SigmaMax)}) must lie in [2^-1020, 2^1020]");
            foreach (var sigma in new[] { SigmaMin, SigmaMax })
                if (Math.Pow(sigma, 1.0 / Rho) is var b && !(double.IsNormal(b) && b > 0))
                    return new ScheduleMathOutOfRange(math.Name(),
                        $"{Show(sigma)} ** (1 / rho) with rho = {Show(Rho)} is {Show(b)}, not a positive normal float64");
        }
        return this with { ScheduleMath = math };
    }

    private static string Show(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Clamp the denoised estimate to [-1, 1].</summary>
    public bool ClipDenoised => Value.clip_denoised;

    /// <summary>The validated default config.</summary>
    public static ValidConfig Default { get; } = new(SchedulerConfig.Default);

    /// <summary>
    /// <c>init_noise_sigma</c>: the standard deviation of the initial latents, σ_max (Algorithm 1, line 1:
    /// x ~ N(0, T²I) with T = σ_max).
    /// </summary>
    public double InitNoiseSigma => SigmaMax;
}
