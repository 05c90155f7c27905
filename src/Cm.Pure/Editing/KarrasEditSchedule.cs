using Cm.Pure.Schedules.Arithmetic;
using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using Cm.Pure.Errors;
using Cm.Pure.Schedules;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Editing;

/// <summary>
/// openai's schedule convention for editing (<c>iterative_*</c> and <c>stochastic_iterative_sampler</c>):
/// indices <see cref="Ts"/> into a <see cref="Steps"/>-point Karras grid between t_max (index 0) and about
/// t_min (index steps − 1). Step i calls the model at t(ts[i]) and then adds noise of level
/// t(ts[i+1]); the last index only sets the level of the last (tiny, non-zero) noise. This differs from
/// diffusers' timesteps (Cm's <see cref="Sampling.SchedulerState"/>): there the schedule is in the
/// training discretisation (N = 40 timesteps), the last step adds no noise only for a one-step schedule, and
/// the model input is scaled by the scheduler. See docs/editing.md.
/// Validated once: 0 &lt; t_min &lt; t_max &lt; ∞, ρ &gt; 0, steps ≥ 2, every ts in 0..steps − 1, at least one index.
/// Unlike openai, Cm rejects indices outside the grid; it keeps openai's acceptance of any order.
/// </summary>
public sealed record KarrasEditSchedule
{
    private KarrasEditSchedule(double tMin, double tMax, double rho, int steps, ImmutableArray<int> ts) =>
        (TMin, TMax, Rho, Steps, Ts) = (tMin, tMax, rho, steps, ts);

    /// <summary>t_min (ε).</summary>
    public double TMin { get; }

    /// <summary>t_max (T).</summary>
    public double TMax { get; }

    /// <summary>ρ.</summary>
    public double Rho { get; }

    /// <summary>Points of the Karras grid.</summary>
    public int Steps { get; }

    /// <summary>Indices into the grid, one per level visited.</summary>
    public ImmutableArray<int> Ts { get; }

    /// <summary>openai's defaults: t_min = 0.002, t_max = 80, ρ = 7, steps = 40.</summary>
    [Pure]
    public static Fin<KarrasEditSchedule> Default(params int[] ts) => Create(0.002, 80.0, 7.0, 40, ts);

    /// <summary>A validated schedule.</summary>
    [Pure]
    public static Fin<KarrasEditSchedule> Create(double tMin, double tMax, double rho, int steps, IEnumerable<int> ts)
    {
        var arr = ts.ToImmutableArray();
        if (!(tMin > 0) || !double.IsFinite(tMax) || !(tMax > tMin))
            return FinFail<KarrasEditSchedule>(new InvalidEditSchedule($"t_min = {tMin:R}, t_max = {tMax:R}: need 0 < t_min < t_max < infinity"));
        if (!(rho > 0) || !double.IsFinite(rho))
            return FinFail<KarrasEditSchedule>(new InvalidEditSchedule($"rho = {rho:R}: must be positive and finite"));
        if (steps < 2)
            return FinFail<KarrasEditSchedule>(new InvalidEditSchedule($"steps = {steps}: the grid needs at least 2 points"));
        if (arr.IsEmpty)
            return FinFail<KarrasEditSchedule>(new InvalidEditSchedule("ts is empty: give at least one grid index"));
        foreach (var i in arr)
            if (i < 0 || i >= steps)
                return FinFail<KarrasEditSchedule>(new InvalidEditSchedule($"ts index {i} lies outside the grid 0..{steps - 1}"));
        return FinSucc(new KarrasEditSchedule(tMin, tMax, rho, steps, arr));
    }

    /// <summary>
    /// t(k) = (t_max^{1/ρ} + k/(steps − 1)·(t_min^{1/ρ} − t_max^{1/ρ}))^ρ (Karras et al. 2022, eq. 5), in
    /// double: a true division k/(steps − 1), then <see cref="Karras.Sigma"/>. Not clipped.
    /// </summary>
    [Pure]
    public double T(int k) => Karras.Sigma(k / (double)(Steps - 1), TMin, TMax, Rho, ScheduleMath.Glibc); // the editing goldens were recorded with glibc arithmetic

    /// <summary>The scalars of every model call, in order (len(ts) − 1 of them).</summary>
    [Pure]
    public ImmutableArray<EditStepScalars> StepScalars()
    {
        var b = ImmutableArray.CreateBuilder<EditStepScalars>(Math.Max(0, Ts.Length - 1));
        for (var i = 0; i + 1 < Ts.Length; i++) b.Add(EditStepScalars.At(this, i));
        return b.MoveToImmutable();
    }
}
