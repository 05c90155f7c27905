using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using Cm.Pure.Config;

namespace Cm.Pure.Schedules;

/// <summary>
/// The N-point schedule the scheduler is built with (diffusers' state after construction): float64
/// sigmas and timesteps over the training ramp, σ_max first, no σ_min appended.
/// </summary>
public sealed record TrainingSchedule(ImmutableArray<double> Sigmas, ImmutableArray<double> Timesteps)
{
    /// <summary>Builds it from a config: σ_i = σ(r_i), t_i = sigma_to_t(σ_i), under the config's schedule arithmetic.</summary>
    [Pure]
    public static TrainingSchedule For(ValidConfig c)
    {
        var ramp = Karras.TrainingRamp(c.NumTrainTimesteps);
        var sigmas = ramp.Select(r => Karras.Sigma(r, c.SigmaMin, c.SigmaMax, c.Rho, c.ScheduleMath)).ToImmutableArray();
        return new TrainingSchedule(sigmas, sigmas.Select(s => Karras.SigmaToT(s, c.ScheduleMath)).ToImmutableArray());
    }
}
