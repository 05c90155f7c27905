using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using Cm.Pure.Config;
using Cm.Pure.Sampling;

namespace Cm.Cli.Schedules;

/// <summary>Everything the schedule outputs show, computed once by the core: the config, the schedule and each step's scalars.</summary>
public sealed record ScheduleView(ValidConfig Config, Schedule Schedule, ImmutableArray<StepScalars> Steps)
{
    /// <summary>The view of a schedule: <see cref="StepScalars.At"/> for every position.</summary>
    [Pure]
    public static ScheduleView Of(ValidConfig config, Schedule schedule) =>
        new(config, schedule, [.. Enumerable.Range(0, schedule.Steps).Select(i => StepScalars.At(config, schedule, i))]);
}
