namespace Cm.Pure.Sharding;

/// <summary>
/// A half-open range of global sample indices [<see cref="First"/>, <see cref="End"/>). Global indices key
/// Philox noise and drawn labels, so a range names the same samples in every process.
/// </summary>
public readonly record struct SampleRange(long First, long End)
{
    /// <summary>Number of samples, End − First (0 for an empty shard).</summary>
    public long Count => End - First;

    /// <summary>Whether the range holds no sample.</summary>
    public bool IsEmpty => End <= First;

    /// <summary>Whether the two ranges share a sample.</summary>
    public bool Overlaps(SampleRange other) => !IsEmpty && !other.IsEmpty && First < other.End && other.First < End;

    /// <inheritdoc/>
    public override string ToString() => $"[{First}, {End})";
}
