namespace Cm.Pure.Config;

/// <summary>
/// The seven settings of diffusers' <c>CMStochasticIterativeScheduler</c>, under their diffusers names
/// so that a <c>scheduler_config.json</c> maps onto them one to one. A value of this type is not yet
/// known to be valid: <see cref="ConfigValidation.Validate(SchedulerConfig)"/> turns it into a <see cref="ValidConfig"/>.
/// </summary>
/// <param name="num_train_timesteps">N, the number of discretisation points of the training schedule (≥ 2).</param>
/// <param name="sigma_min">σ_min, the smallest noise level; the boundary condition holds there (paper §3).</param>
/// <param name="sigma_max">σ_max, the largest noise level; also the initial noise scale.</param>
/// <param name="sigma_data">σ_data, the data standard deviation in the EDM scalings (paper Appendix C).</param>
/// <param name="s_noise">Multiplier of the fresh noise added between steps.</param>
/// <param name="rho">ρ of the Karras schedule (Karras et al. 2022, eq. 5).</param>
/// <param name="clip_denoised">Whether the denoised estimate is clamped to [-1, 1].</param>
public sealed record SchedulerConfig(
    int num_train_timesteps,
    double sigma_min,
    double sigma_max,
    double sigma_data,
    double s_noise,
    double rho,
    bool clip_denoised)
{
    /// <summary>diffusers' defaults: N 40, σ_min 0.002, σ_max 80, σ_data 0.5, s_noise 1, ρ 7, clip on.</summary>
    public static SchedulerConfig Default { get; } = new(40, 0.002, 80.0, 0.5, 1.0, 7.0, true);
}
