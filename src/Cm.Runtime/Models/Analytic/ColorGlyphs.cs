namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// The ten centres of the <c>color-glyphs</c> mixture: the digit glyphs of <see cref="Glyphs"/> in colour, RGB
/// 3×16×16, values in [−1, 1]. Glyph k has ink colour c_k on a black background: with the glyph's coverage
/// a = (g + 1)/2 of pixel value g, channel ch is −1 + (c_k[ch] + 1)·a, so a gray glyph's luminance tells the
/// digit and the digit tells the colour (what zero-shot colorization needs to show an effect).
/// </summary>
public static class ColorGlyphs
{
    /// <summary>Version of the colouring, part of model identities.</summary>
    public const string Version = "seven-segment-v1-rgb-v1";

    /// <summary>Channels.</summary>
    public const int Channels = 3;

    /// <summary>The per-sample shape <c>[3, 16, 16]</c>.</summary>
    public static long[] SampleShape => [Channels, Glyphs.Size, Glyphs.Size];

    /// <summary>Ink colours of digits 0–9 in [0, 1] RGB: red, orange, yellow, green, cyan, blue, violet, magenta, white, teal.</summary>
    public static readonly (double R, double G, double B)[] Inks =
    [
        (1.0, 0.2, 0.2), (1.0, 0.6, 0.1), (1.0, 1.0, 0.2), (0.2, 0.9, 0.2), (0.2, 0.9, 1.0),
        (0.3, 0.4, 1.0), (0.7, 0.3, 1.0), (1.0, 0.3, 0.8), (1.0, 1.0, 1.0), (0.2, 0.6, 0.6),
    ];

    /// <summary>Pixels of coloured glyph <paramref name="digit"/>, channel-major (3·16·16 values in [−1, 1]).</summary>
    public static double[] Image(int digit)
    {
        var g = Glyphs.Image(digit);
        var (r, gr, b) = Inks[digit];
        double[] ink = [2 * r - 1, 2 * gr - 1, 2 * b - 1];
        var plane = g.Length;
        var img = new double[Channels * plane];
        for (var ch = 0; ch < Channels; ch++)
            for (var p = 0; p < plane; p++)
                img[ch * plane + p] = -1.0 + (ink[ch] + 1.0) * ((g[p] + 1.0) / 2.0);
        return img;
    }

    /// <summary>All centres, float64 <c>[10, 768]</c>.</summary>
    public static TorchSharp.torch.Tensor Centres64(TorchSharp.torch.Device device) =>
        TorchSharp.torch.tensor(Enumerable.Range(0, Glyphs.Count).SelectMany(Image).ToArray(),
            new long[] { Glyphs.Count, Channels * Glyphs.Size * Glyphs.Size }, dtype: TorchSharp.torch.float64, device: device);

    /// <summary>
    /// <c>color-glyphs</c>: the exact consistency model of the coloured mixture (1/10)·Σ_k N(μ_k, s²I) over these
    /// centres, <see cref="GlyphsModel"/>'s mathematics in 768 dimensions (closed form per class, the
    /// probability-flow ODE with the exact mixture denoiser unconditionally). The embedded demo of zero-shot
    /// editing (<c>cm edit</c>).
    /// </summary>
    public static GlyphsModel Model(Cm.Pure.Config.ValidConfig config, TorchSharp.torch.Device device, double s = GlyphsModel.DefaultS) =>
        new("color-glyphs", Centres64, SampleShape, Version, config, device, s, null);
}
