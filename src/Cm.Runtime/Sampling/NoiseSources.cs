using Cm.Pure.Noise;
using Cm.Pure.Noise.Philox;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Traces;

namespace Cm.Runtime.Sampling;

/// <summary>The noise source a run's <see cref="NoiseSpec"/> names, before its first draw.</summary>
public static class NoiseSources
{
    /// <summary>torch: PyTorch's CPU generator seeded with the seed; philox: Philox streams keyed by the seed.</summary>
    public static INoise For(NoiseSpec spec) => spec.Kind switch
    {
        NoiseKind.Torch => TorchNoise.FromSeed(spec.Seed),
        NoiseKind.Philox => new PhiloxNoise(spec.Seed),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, "unknown noise kind"),
    };
}
