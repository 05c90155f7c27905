namespace Cm.Pure.Config;

/// <summary>
/// A <see cref="SchedulerConfig"/> that passed <see cref="ConfigValidation.Validate"/>. Only validation
/// creates one, so every function that takes it may rely on N ≥ 2, 0 &lt; σ_min &lt; σ_max &lt; ∞,
/// σ_data &gt; 0, ρ &gt; 0 and 0 ≤ s_noise &lt; ∞.
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
