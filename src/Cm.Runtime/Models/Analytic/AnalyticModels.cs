using Cm.Runtime.Errors;
using Cm.Pure.Config;
using Cm.Runtime.Native;
using LanguageExt;
using LanguageExt.Common;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// The registry of analytic models by name: <c>gaussian</c>, <c>glyphs</c>, <c>glyphs-denoiser</c>, <c>color-glyphs</c>, each with its
/// default parameters (docs/analytic-models.md). The constructors take other parameters.
/// </summary>
public static class AnalyticModels
{
    /// <summary>Error code: no analytic model has that name.</summary>
    public const int UnknownNameCode = 0x434D_0301;

    /// <summary>The valid names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["gaussian", "glyphs", "glyphs-denoiser", "color-glyphs"];

    /// <summary>
    /// The analytic model <paramref name="name"/> (case-insensitive) for the sampler settings <paramref name="config"/>
    /// (σ_min and σ_data enter the model's output) on <paramref name="device"/>; the caller disposes it. Fails
    /// with <see cref="UnknownNameCode"/> and the list of valid names for any other name, or with libtorch's load error.
    /// </summary>
    public static Fin<IModel> TryCreate(string? name, ValidConfig config, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(device);
        var key = (name ?? "").Trim().ToLowerInvariant();
        if (!Names.Contains(key))
            return FinFail<IModel>(new InvalidModel(UnknownNameCode,
                $"Unknown analytic model '{name}': valid names are {string.Join(", ", Names)}."));
        return TorchNative.EnsureLoaded().Map(_ => key switch
        {
            "gaussian" => (IModel)new GaussianModel(config, device),
            "glyphs" => new GlyphsModel(config, device),
            "color-glyphs" => ColorGlyphs.Model(config, device),
            _ => new GlyphsDenoiserModel(config, device),
        });
    }
}
