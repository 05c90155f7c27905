using Cm.Pure.Images;
using System.Diagnostics.Contracts;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Rendering;

/// <summary>One sample of a batch as an image at its own resolution (for <c>--per-sample</c>): no upscaling, no label.</summary>
public static class SampleImage
{
    /// <summary>Sample <paramref name="n"/> of a [B, C, H, W] batch (C = 1 grey or 3 RGB), pixels as diffusers converts them.</summary>
    [Pure]
    public static Fin<RgbImage> Render(Tensor<float> batch, int n)
    {
        var s = batch.Shape;
        if (s.Rank != 4 || (s[1] != 1 && s[1] != 3) || n < 0 || n >= s[0])
            return FinFail<RgbImage>(new ShapeMismatch("the image batch", "[B, C, H, W] with C = 1 or 3 and a sample index below B", $"{s}, sample {n}"));
        var (c, h, w) = (s[1], s[2], s[3]);
        var image = new RgbImage(w, h, new byte[w * h * 3]);
        var data = batch.Data;
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                for (var ch = 0; ch < 3; ch++)
                    image.Pixels[image.Offset(x, y) + ch] = ImageConversion.ToByte(data[((n * c + (c == 1 ? 0 : ch)) * h + y) * w + x]);
        return FinSucc(image);
    }
}
