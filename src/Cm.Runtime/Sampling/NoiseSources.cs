using Cm.Pure.Noise;
using Cm.Pure.Noise.Philox;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Traces;

namespace Cm.Runtime.Sampling;

/// <summary>The noise source a run's <see cref="NoiseSpec"/> names, before its first draw.</summary>
public static class NoiseSources
{
    /// <summary>
    /// torch: PyTorch's CPU generator seeded with the seed (it has no sample index: a torch run starts at
    /// sample 0); philox: Philox streams keyed by the seed, positioned on the spec's first global sample.
    /// </summary>
    public static INoise For(NoiseSpec spec) => spec.Kind switch
    {
        NoiseKind.Torch when spec.FirstSample != 0 => throw new ArgumentOutOfRangeException(
            nameof(spec), spec.FirstSample, "torch noise has one generator per run and cannot start at a later sample; use philox noise"),
        NoiseKind.Torch => TorchNoise.FromSeed(spec.Seed),
        NoiseKind.Philox => new PhiloxNoise(spec.Seed, spec.FirstSample),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Kind, $"no generator for noise kind {spec.Kind}"),
    };

    /// <summary>
    /// The generator a trace header names, for verification: torch and philox are rebuilt from their seed;
    /// recorded noise (a run with two generators, e.g. a diffusers recording) has none, and is checked
    /// against the trace's own tensors and hashes only.
    /// </summary>
    public static LanguageExt.Option<INoise> Regenerate(NoiseSpec spec) => spec.Kind switch
    {
        NoiseKind.Torch or NoiseKind.Philox => LanguageExt.Prelude.Some(For(spec)),
        _ => LanguageExt.Prelude.None,
    };
}
