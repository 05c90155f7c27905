using System.Collections.Immutable;

namespace Cm.Pure.Schedules;

/// <summary>
/// How a sampling schedule is asked for: a number of evenly spaced steps, or an explicit list of
/// training-grid indices (diffusers' <c>set_timesteps(num_inference_steps=…)</c> or
/// <c>set_timesteps(timesteps=[…])</c>). Exactly one of the two, by construction.
/// </summary>
public abstract record TimestepSpec
{
    private TimestepSpec() { }

    /// <summary>n evenly spaced steps: indices [(n−1)k, …, k, 0] with k = N div n.</summary>
    public sealed record Steps(int Count) : TimestepSpec
    {
        /// <inheritdoc/>
        public override string ToString() => $"steps={Count}";
    }

    /// <summary>An explicit, strictly descending list of training-grid indices in [0, N), e.g. [22, 0].</summary>
    public sealed record Custom(ImmutableArray<int> Indices) : TimestepSpec
    {
        /// <inheritdoc/>
        public bool Equals(Custom? other) => other is not null && Indices.SequenceEqual(other.Indices);

        /// <inheritdoc/>
        public override int GetHashCode() => Indices.Aggregate(17, (h, i) => h * 31 + i);

        /// <inheritdoc/>
        public override string ToString() => $"timesteps=[{string.Join(",", Indices)}]";
    }

    /// <summary>n evenly spaced steps.</summary>
    public static TimestepSpec OfSteps(int count) => new Steps(count);

    /// <summary>An explicit list of training-grid indices.</summary>
    public static TimestepSpec OfIndices(params int[] indices) => new Custom([.. indices]);

    /// <summary>
    /// The request from two optional arguments (a command line, a config file, a trace header):
    /// exactly one must be given, as in diffusers' <c>set_timesteps</c>.
    /// </summary>
    public static LanguageExt.Fin<TimestepSpec> FromOptional(int? steps, IReadOnlyList<int>? indices) => (steps, indices) switch
    {
        (null, null) => new Errors.InvalidSchedule(
            "give either a number of steps or a list of timesteps (exactly one of num_inference_steps and timesteps)"),
        (not null, not null) => new Errors.InvalidSchedule(
            "give either a number of steps or a list of timesteps, not both (num_inference_steps and timesteps exclude each other)"),
        ({ } n, null) => OfSteps(n),
        (null, { } list) => OfIndices([.. list]),
    };

    /// <summary>Matches on the two forms.</summary>
    public TResult Match<TResult>(Func<int, TResult> steps, Func<ImmutableArray<int>, TResult> custom) => this switch
    {
        Steps s => steps(s.Count),
        Custom c => custom(c.Indices),
        _ => throw new InvalidOperationException("unreachable"),
    };
}
