using System.Collections.Immutable;

namespace Cm.Runtime.Sampling;

/// <summary>Class labels of a run: none (unconditional), given per sample, or drawn from the run's seed.</summary>
public abstract record LabelSpec
{
    private LabelSpec() { }

    /// <summary>Unconditional sampling.</summary>
    public sealed record None : LabelSpec;

    /// <summary>One label per sample, in [0, classes).</summary>
    public sealed record Given(ImmutableArray<int> Labels) : LabelSpec
    {
        /// <inheritdoc/>
        public bool Equals(Given? other) => other is not null && Labels.SequenceEqual(other.Labels);
        /// <inheritdoc/>
        public override int GetHashCode() => Labels.Aggregate(17, (h, l) => h * 31 + l);
    }

    /// <summary>
    /// Labels drawn from the run's seed, uniformly in [0, Classes), from a Philox stream reserved for
    /// labels, whatever the noise kind: the same seed gives the same labels (diffusers draws them from
    /// the global generator, ignoring the seed, issue #13643).
    /// </summary>
    public sealed record Drawn(int Classes) : LabelSpec;

    /// <summary>No labels.</summary>
    public static LabelSpec Unconditional { get; } = new None();
}
