using System.Diagnostics.Contracts;
using Cm.Pure.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Sampling;

/// <summary>Which schedule position a call works on (golden README, "Timestep lookup and the step index").</summary>
public static class IndexRules
{
    /// <summary>
    /// The position of <paramref name="t"/> among <paramref name="timesteps"/> by exact float64
    /// comparison; with two or more matches the second is taken (diffusers does so, so that a
    /// schedule that repeats a timestep does not skip a sigma when starting in the middle).
    /// </summary>
    [Pure]
    public static Fin<int> IndexForTimestep(ReadOnlySpan<double> timesteps, double t)
    {
        var first = -1;
        for (var i = 0; i < timesteps.Length; i++)
        {
            if (timesteps[i] != t) continue;
            if (first >= 0) return FinSucc(i);
            first = i;
        }
        return first >= 0 ? FinSucc(first) : FinFail<int>(new TimestepNotInSchedule(t));
    }

    /// <summary>
    /// The step index for a call: the current one if set; else the begin index if set; else the
    /// lookup of <paramref name="t"/>. Once set, <paramref name="t"/> is ignored (as in diffusers).
    /// </summary>
    [Pure]
    public static Fin<int> Resolve(SchedulerState state, Timestep t) =>
        state.StepIndex.Match(
            Some: i => FinSucc(i),
            None: () => state.BeginIndex.Match(
                Some: b => FinSucc(b),
                None: () => IndexForTimestep(state.Schedule.Timesteps.AsSpan(), t.Value)));
}
