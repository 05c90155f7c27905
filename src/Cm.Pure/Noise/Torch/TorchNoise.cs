using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Noise.Torch;

/// <summary>
/// <see cref="INoise"/> over a <see cref="TorchGenerator"/>: each <c>Fill</c> is one <c>torch.randn</c>
/// of the shape, using only its element count, as torch does. So a run that draws its initial latents
/// and then its per-step noise from one <see cref="TorchNoise"/> replays a PyTorch run that used one
/// <c>torch.Generator</c>.
/// </summary>
public sealed record TorchNoise(TorchGenerator Generator, TorchRandnVariant Variant = default) : INoise
{
    /// <summary>A source seeded as <c>torch.Generator().manual_seed(seed)</c>.</summary>
    public static TorchNoise FromSeed(ulong seed, TorchRandnVariant variant = default) =>
        new(TorchGenerator.ManualSeed(seed), variant);

    /// <inheritdoc/>
    public Fin<INoise> Fill(Shape shape, Span<float> destination) =>
        NoiseChecks.Destination(shape, destination.Length) is { } reason
            ? new NoiseFailed(Describe(), reason)
            : this with { Generator = Generator.FillRandn(destination, Variant) };

    /// <inheritdoc/>
    public Fin<INoise> Fill(Shape shape, Span<double> destination) =>
        NoiseChecks.Destination(shape, destination.Length) is { } reason
            ? new NoiseFailed(Describe(), reason)
            : this with { Generator = Generator.FillRandn(destination, Variant) };

    /// <inheritdoc/>
    public string Describe() =>
        $"torch(seed={Generator.InitialSeed}, left={Generator.Left}, next={Generator.Next}, " +
        $"cached={(Generator.CachedNormal.IsSome ? "yes" : "no")}, kernel={Variant.Kernel}, log={Variant.ScalarLog})";
}
