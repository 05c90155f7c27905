using Cm.Pure.Config;
using Cm.Pure.Editing;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;

namespace Cm.Pure.Traces;

/// <summary>
/// The steps a verified header promises, a closed union: the diffusers scheduler's (sampling runs and edit runs in
/// Cm's convention) or openai's editing grid (<see cref="EditConvention.Openai"/>). It gives the step count and
/// each step's scalars as the trace records them, each from its one home.
/// </summary>
public abstract record StepPlan
{
    private StepPlan() { }

    /// <summary>The step records the trace must hold.</summary>
    public abstract int Steps { get; }

    /// <summary>The scalars of step <paramref name="i"/>, as the step line records them.</summary>
    public abstract StepScalars At(ValidConfig config, int i);

    /// <summary>The scheduler's schedule (<see cref="StepScalars.At"/>).</summary>
    public sealed record Sampler(Schedule Schedule) : StepPlan
    {
        /// <inheritdoc/>
        public override int Steps => Schedule.Steps;

        /// <inheritdoc/>
        public override StepScalars At(ValidConfig config, int i) => StepScalars.At(config, Schedule, i);
    }

    /// <summary>openai's grid: len(ts) − 1 model calls (<see cref="EditStepScalars.Traced"/>).</summary>
    public sealed record OpenaiEdit(KarrasEditSchedule Schedule) : StepPlan
    {
        /// <inheritdoc/>
        public override int Steps => Math.Max(0, Schedule.Ts.Length - 1);

        /// <inheritdoc/>
        public override StepScalars At(ValidConfig config, int i) => EditStepScalars.At(Schedule, i).Traced();
    }
}
