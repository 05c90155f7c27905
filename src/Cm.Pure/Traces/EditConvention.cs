namespace Cm.Pure.Traces;

/// <summary>
/// Which schedule an edit run followed (docs/editing.md, "Two schedule conventions"); it decides how a
/// verifier reads the header's config and schedule and recomputes each step.
/// </summary>
public enum EditConvention
{
    /// <summary>
    /// Cm's: the diffusers scheduler of the header's config and schedule (<see cref="Editing.SchedulerEdit"/>,
    /// what <c>cm edit</c> runs); the step scalars are the sampler's.
    /// </summary>
    Scheduler,

    /// <summary>
    /// openai's (<see cref="Editing.EditLoop"/>): the config's sigma_min, sigma_max, rho and num_train_timesteps are
    /// t_min, t_max, ρ and the grid's point count, the schedule's timesteps are the ascending indices <c>ts</c>, and
    /// clip_denoised is the clamp; the step scalars are <see cref="Editing.EditStepScalars.Traced"/>.
    /// </summary>
    Openai,
}
