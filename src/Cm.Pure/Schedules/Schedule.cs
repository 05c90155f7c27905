using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using Cm.Pure.Config;
using Cm.Pure.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Schedules;

/// <summary>
/// A sampling schedule (diffusers' state after <c>set_timesteps</c>): n float64 timesteps, descending,
/// and n + 1 float32 sigmas with σ_min appended. <see cref="Indices"/> are the training-grid indices it
/// was made from, descending.
/// </summary>
public sealed record Schedule
{
    private Schedule(TimestepSpec spec, ImmutableArray<int> indices, ImmutableArray<double> timesteps, ImmutableArray<float> sigmas)
    {
        Spec = spec;
        Indices = indices;
        Timesteps = timesteps;
        Sigmas = sigmas;
    }

    /// <summary>
    /// The longest schedule Cm builds (10⁶ steps, about 20 MB of timesteps, sigmas and indices): a longer
    /// request is refused before anything is allocated. Consistency models use 1 to 40 steps.
    /// </summary>
    public const int MaxSteps = 1_000_000;

    /// <summary>What was asked for.</summary>
    public TimestepSpec Spec { get; }

    /// <summary>The training-grid indices T, descending ([22, 0], or [(n−1)k, …, 0]).</summary>
    public ImmutableArray<int> Indices { get; }

    /// <summary>The timesteps t_j = 250·ln σ(r_j), float64, descending; length n.</summary>
    public ImmutableArray<double> Timesteps { get; }

    /// <summary>The sigmas f(σ(r_j)) then f(σ_min), float32; length n + 1.</summary>
    public ImmutableArray<float> Sigmas { get; }

    /// <summary>Number of steps n.</summary>
    public int Steps => Timesteps.Length;

    /// <summary>Whether the schedule came from an explicit list (diffusers' <c>custom_timesteps</c>).</summary>
    public bool IsCustom => Spec is TimestepSpec.Custom;

    /// <summary>
    /// Builds the schedule for a request, or says why the request is invalid. Steps must be in
    /// 1..N. A list must be non-empty, strictly descending, start below N and hold no negative index.
    /// diffusers crashes on n = 0 and on an empty list, and accepts n &lt; 0 (empty schedule) and negative
    /// indices (σ above σ_max); Cm rejects all four.
    /// </summary>
    [Pure]
    public static Fin<Schedule> Create(ValidConfig config, TimestepSpec spec) =>
        IndicesFor(config.NumTrainTimesteps, spec).Map(indices => Build(config, spec, indices));

    /// <summary>The training-grid indices for a request, validated (golden README, "Checks in set_timesteps").</summary>
    [Pure]
    public static Fin<ImmutableArray<int>> IndicesFor(int numTrainTimesteps, TimestepSpec spec)
    {
        var n = numTrainTimesteps;
        switch (spec)
        {
            case TimestepSpec.Steps { Count: var count }:
                if (count < 1 || count > n)
                    return FinFail<ImmutableArray<int>>(new InvalidSchedule(
                        $"num_inference_steps = {count}: must be between 1 and num_train_timesteps ({n})"));
                if (count > MaxSteps)
                    return FinFail<ImmutableArray<int>>(new InvalidSchedule(
                        $"num_inference_steps = {count}: at most {MaxSteps} steps (Cm's schedule limit, which bounds its memory); use fewer steps"));
                var k = n / count;
                return FinSucc(Enumerable.Range(0, count).Select(j => (count - 1 - j) * k).ToImmutableArray());
            case TimestepSpec.Custom { Indices: var list }:
                if (list.IsDefaultOrEmpty)
                    return FinFail<ImmutableArray<int>>(new InvalidSchedule(
                        "the custom timesteps list is empty: give at least one index in [0, num_train_timesteps), e.g. [22, 0]"));
                for (var i = 1; i < list.Length; i++)
                    if (list[i] >= list[i - 1])
                        return FinFail<ImmutableArray<int>>(new InvalidSchedule(
                            $"custom timesteps must be strictly descending, but position {i} holds {list[i]} after {list[i - 1]}"));
                if (list[0] >= n)
                    return FinFail<ImmutableArray<int>>(new InvalidSchedule(
                        $"custom timesteps must be below num_train_timesteps ({n}), but the first is {list[0]}"));
                if (list[^1] < 0)
                    return FinFail<ImmutableArray<int>>(new InvalidSchedule(
                        $"custom timesteps must be >= 0 (a negative index gives a sigma above sigma_max), but the last is {list[^1]}"));
                return FinSucc(list);
            default:
                throw new InvalidOperationException("unreachable");
        }
    }

    /// <summary>
    /// The ramp for descending indices T: reverse T to ascending, r_j = T_rev[j] / (N − 1) in double.
    /// </summary>
    [Pure]
    public static double[] Ramp(int numTrainTimesteps, ImmutableArray<int> indices)
    {
        var r = new double[indices.Length];
        for (var j = 0; j < r.Length; j++)
            r[j] = indices[indices.Length - 1 - j] / (double)(numTrainTimesteps - 1);
        return r;
    }

    private static Schedule Build(ValidConfig c, TimestepSpec spec, ImmutableArray<int> indices)
    {
        var ramp = Ramp(c.NumTrainTimesteps, indices);
        var sig64 = ramp.Select(r => Karras.Sigma(r, c.SigmaMin, c.SigmaMax, c.Rho, c.ScheduleMath)).ToArray();
        var timesteps = sig64.Select(s => Karras.SigmaToT(s, c.ScheduleMath)).ToImmutableArray();
        var sigmas = sig64.Select(s => (float)s).Append((float)c.SigmaMin).ToImmutableArray();
        return new Schedule(spec, indices, timesteps, sigmas);
    }

    /// <summary>Equality by request and by the bits of every timestep and sigma.</summary>
    public bool Equals(Schedule? other) =>
        other is not null && Spec.Equals(other.Spec) && Indices.SequenceEqual(other.Indices)
        && Timesteps.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(other.Timesteps.Select(BitConverter.DoubleToInt64Bits))
        && Sigmas.Select(BitConverter.SingleToInt32Bits).SequenceEqual(other.Sigmas.Select(BitConverter.SingleToInt32Bits));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Spec, Steps);
}
