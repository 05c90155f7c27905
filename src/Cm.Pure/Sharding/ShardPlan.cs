using Cm.Pure.Errors;
using LanguageExt;

namespace Cm.Pure.Sharding;

/// <summary>
/// How a run of <see cref="Samples"/> samples is split over <see cref="Shards"/> independent processes.
/// Shard K computes the global samples [⌊K·N/S⌋, ⌊(K+1)·N/S⌋): the ranges tile [0, N) in order, their
/// sizes are ⌊N/S⌋ or ⌈N/S⌉ (the larger ones fall where the floor steps, e.g. N = 7, S = 3 gives
/// [0, 2), [2, 4), [4, 7)), and shards are empty only when S &gt; N. Valid by construction: 1 ≤ N ≤ 2^32
/// (Philox sample indices are 32-bit) and 1 ≤ S ≤ 2^31 − 1, so K·N &lt; 2^63 never overflows.
/// </summary>
public sealed record ShardPlan
{
    /// <summary>The largest run: Philox keys samples by a 32-bit index.</summary>
    public const long MaxSamples = 1L << 32;

    private ShardPlan(long samples, int shards) => (Samples, Shards) = (samples, shards);

    /// <summary>N, the samples of the whole run.</summary>
    public long Samples { get; }

    /// <summary>S, the number of shards.</summary>
    public int Shards { get; }

    /// <summary>The plan for N samples over S shards, or why not.</summary>
    public static Fin<ShardPlan> Create(long samples, int shards) =>
        samples < 1 || samples > MaxSamples
            ? new InvalidShard($"{samples} samples: a run has 1..{MaxSamples} samples (Philox sample indices are 32-bit)")
            : shards < 1
                ? new InvalidShard($"{shards} shards: give at least 1")
                : new ShardPlan(samples, shards);

    /// <summary>The samples of shard <paramref name="k"/>: [⌊k·N/S⌋, ⌊(k+1)·N/S⌋).</summary>
    public SampleRange RangeOf(int k) =>
        k >= 0 && k < Shards
            ? new SampleRange(Floor(k), Floor(k + 1))
            : throw new ArgumentOutOfRangeException(nameof(k), k, $"shard index must be in 0..{Shards - 1}");

    /// <summary>The shard that computes global sample <paramref name="sample"/> (the inverse of <see cref="RangeOf"/>).</summary>
    public int ShardOf(long sample)
    {
        if (sample < 0 || sample >= Samples) throw new ArgumentOutOfRangeException(nameof(sample), sample, $"sample index must be in 0..{Samples - 1}");
        // The largest k with ⌊k·N/S⌋ ≤ i is ⌊((i+1)·S − 1)/N⌋; i+1 ≤ 2^32 and S < 2^31 keep it below 2^63.
        return (int)(((sample + 1) * Shards - 1) / Samples);
    }

    /// <summary>
    /// The batches a range is computed in: consecutive ranges of <paramref name="batch"/> samples, the last
    /// one shorter. Batching never changes a sample (noise and labels are keyed by the global index).
    /// </summary>
    public static IEnumerable<SampleRange> Batches(SampleRange range, int batch)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be at least 1");
        for (var first = range.First; first < range.End; first += batch)
            yield return new SampleRange(first, Math.Min(first + batch, range.End));
    }

    private long Floor(int k) => k * Samples / Shards;

    /// <inheritdoc/>
    public override string ToString() => $"{Samples} samples over {Shards} shards";
}
