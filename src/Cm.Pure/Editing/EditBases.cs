using Cm.Pure.Errors;
using LanguageExt;

namespace Cm.Pure.Editing;

/// <summary>
/// The two bases of openai's zero-shot editing (<c>cm/karras_diffusion.py</c>), built as openai builds them
/// (<see cref="OrthonormalBasis.FromFirstColumn"/>).
/// </summary>
public static class EditBases
{
    /// <summary>The luminance weights w = (0.2989, 0.5870, 0.1140) of openai's colorization (ITU-R BT.601 luma).</summary>
    public static ReadOnlySpan<double> LuminanceWeights => [0.2989, 0.5870, 0.1140];

    private static readonly Lazy<OrthonormalBasis> LuminanceBasis = new(() => Built(OrthonormalBasis.FromFirstColumn(LuminanceWeights)));

    /// <summary>3×3 basis with column 0 = w/‖w‖: coordinate 0 is the (scaled) luminance, 1..2 the chroma.</summary>
    public static OrthonormalBasis Luminance => LuminanceBasis.Value;

    /// <summary>k²×k² basis with column 0 = 𝟙/k: coordinate 0 is k·(patch mean), the rest zero-mean detail.</summary>
    public static Fin<OrthonormalBasis> Patch(int k) =>
        k < 1 || k > 64
            ? new InvalidBasis($"patch size {k}: must be 1..64")
            : OrthonormalBasis.FromFirstColumn(Enumerable.Repeat(1.0, k * k).ToArray());

    private static OrthonormalBasis Built(Fin<OrthonormalBasis> b) =>
        b.Match(x => x, e => throw new InvalidOperationException("built-in basis invalid: " + e.Message));
}
