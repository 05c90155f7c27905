using Cm.Pure.Config;
using Cm.Pure.Noise;
using Cm.Pure.Schedules;
using LanguageExt;

namespace Cm.Pure.Sampling;

/// <summary>
/// Everything the scheduler knows between calls, as one immutable value: the config, the schedule,
/// the step index (unset until the first <c>ScaleModelInput</c> or <c>Step</c>), the begin index,
/// the noise source, and whether the model input was ever scaled (only for diffusers' warning).
/// </summary>
public sealed record SchedulerState(
    ValidConfig Config,
    Schedule Schedule,
    Option<int> StepIndex,
    Option<int> BeginIndex,
    INoise Noise,
    bool ModelInputScaled)
{
    /// <summary><c>init_noise_sigma</c> = σ_max.</summary>
    public double InitNoiseSigma => Config.InitNoiseSigma;

    /// <summary>True when every scheduled step has been taken.</summary>
    public bool IsComplete => StepIndex.Match(i => i >= Schedule.Steps, () => false);
}
