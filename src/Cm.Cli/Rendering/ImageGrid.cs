using System.Diagnostics.Contracts;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

using Cm.Pure.Images;

namespace Cm.Cli.Rendering;

/// <summary>
/// A batch of images [B, C, H, W] in [-1, 1] (C = 1 grey or 3 RGB) as one labelled grid image. Pixels
/// follow diffusers' pipeline output: x/2 + 0.5, clamped to [0, 1], times 255, rounded half to even.
/// </summary>
public static class ImageGrid
{
    private const byte Background = 32;
    private const byte LabelInk = 235;

    /// <summary>The grid with one label per image (or none when <paramref name="labels"/> is empty).</summary>
    [Pure]
    public static Fin<RgbImage> Render(Tensor<float> batch, IReadOnlyList<string> labels, GridLayout? layout = null)
    {
        var s = batch.Shape;
        if (s.Rank != 4 || (s[1] != 1 && s[1] != 3) || s[0] < 1 || s[2] < 1 || s[3] < 1)
            return FinFail<RgbImage>(new ShapeMismatch("the image batch", "[B, C, H, W] with B, H, W >= 1 and C = 1 or 3", s.ToString()));
        if (labels.Count != 0 && labels.Count != s[0])
            return FinFail<RgbImage>(new ShapeMismatch("the tile labels", $"{s[0]} labels (one per image) or none", $"{labels.Count} labels"));

        var (b, c, h, w) = (s[0], s[1], s[2], s[3]);
        var l = layout ?? GridLayout.For(b, h, w);
        var labelled = labels.Count > 0;
        var (tileW, tileH) = (w * l.Scale, h * l.Scale + l.LabelHeight(labelled));
        var rows = (b + l.Columns - 1) / l.Columns;
        var image = new RgbImage(
            l.Columns * tileW + (l.Columns + 1) * l.Gap,
            rows * tileH + (rows + 1) * l.Gap,
            new byte[(l.Columns * tileW + (l.Columns + 1) * l.Gap) * (rows * tileH + (rows + 1) * l.Gap) * 3]);
        image.Pixels.AsSpan().Fill(Background);

        var data = batch.Data;
        for (var n = 0; n < b; n++)
        {
            var x0 = l.Gap + n % l.Columns * (tileW + l.Gap);
            var y0 = l.Gap + n / l.Columns * (tileH + l.Gap);
            if (labelled) Canvas.Text(image, labels[n], x0 + l.Gap, y0 + l.Gap, l.LabelScale, tileW - 2 * l.Gap, (LabelInk, LabelInk, LabelInk));
            var top = y0 + l.LabelHeight(labelled);
            for (var y = 0; y < h * l.Scale; y++)
                for (var x = 0; x < w * l.Scale; x++)
                {
                    var o = image.Offset(x0 + x, top + y);
                    for (var ch = 0; ch < 3; ch++)
                        image.Pixels[o + ch] = ImageConversion.ToByte(data[((n * c + (c == 1 ? 0 : ch)) * h + y / l.Scale) * w + x / l.Scale]);
                }
        }
        return FinSucc(image);
    }
}
