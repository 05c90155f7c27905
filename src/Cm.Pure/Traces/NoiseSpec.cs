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

/// <summary>The noise of a run: the generator kind and its 64-bit seed.</summary>
public sealed record NoiseSpec(NoiseKind Kind, ulong Seed)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Seed}";
}
