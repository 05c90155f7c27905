namespace Cm.Pure.Traces;

/// <summary>Which generator a run draws its noise from.</summary>
public enum NoiseKind
{
    /// <summary>PyTorch's CPU generator, bit for bit (parity with diffusers runs).</summary>
    Torch,
    /// <summary>Counter-based Philox4x32-10: noise per (seed, sample, draw), independent of batch size and order.</summary>
    Philox,
    /// <summary>
    /// No generator Cm can rebuild (e.g. two torch generators, or an unknown one): the noise is only
    /// in the trace's tensors. The seed means nothing and is 0.
    /// </summary>
    Recorded,
}

/// <summary>
/// The noise of a run: the generator kind, its 64-bit seed and the global index of the batch's first
/// sample. Philox noise and drawn class labels are keyed by the global index (sample <c>FirstSample + b</c>
/// for batch item <c>b</c>), so a batch starting at <c>FirstSample</c> equals those samples of one larger
/// run: that is what lets a run be split into batches and shards (docs/scale-out.md). Torch noise has one
/// generator threading through the batch and can only start at sample 0.
/// </summary>
public sealed record NoiseSpec(NoiseKind Kind, ulong Seed, uint FirstSample = 0)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind.ToString().ToLowerInvariant()}:{Seed}" + (FirstSample == 0 ? "" : $"@{FirstSample}");
}
