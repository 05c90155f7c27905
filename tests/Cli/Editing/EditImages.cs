using Cm.Runtime.Models.Analytic;
using StbImageWriteSharp;

namespace Cm.Tests.Editing;

/// <summary>PNG inputs for editing tests: coloured glyphs, gray versions, patch-averaged versions, masks.</summary>
public static class EditImages
{
    public static byte ToByte(double x) => (byte)Math.Round(Math.Clamp(x / 2 + 0.5, 0, 1) * 255);

    /// <summary>The RGB pixels (interleaved) of coloured glyph <paramref name="digit"/>.</summary>
    public static byte[] Rgb(int digit)
    {
        var img = ColorGlyphs.Image(digit);
        const int plane = 256;
        var px = new byte[plane * 3];
        for (var p = 0; p < plane; p++)
            for (var c = 0; c < 3; c++) px[p * 3 + c] = ToByte(img[c * plane + p]);
        return px;
    }

    /// <summary>The glyph's luminance 0.2989·R + 0.5870·G + 0.1140·B as one gray channel.</summary>
    public static byte[] Gray(int digit)
    {
        var img = ColorGlyphs.Image(digit);
        const int plane = 256;
        return Enumerable.Range(0, plane).Select(p => ToByte(0.2989 * img[p] + 0.5870 * img[plane + p] + 0.1140 * img[2 * plane + p])).ToArray();
    }

    /// <summary>The glyph with every k×k patch replaced by its mean (RGB).</summary>
    public static byte[] Blocky(int digit, int k)
    {
        var img = ColorGlyphs.Image(digit);
        const int side = 16, plane = 256;
        var px = new byte[plane * 3];
        for (var c = 0; c < 3; c++)
            for (var y = 0; y < side; y++)
                for (var x = 0; x < side; x++)
                {
                    var sum = 0.0;
                    for (var dy = 0; dy < k; dy++)
                        for (var dx = 0; dx < k; dx++) sum += img[c * plane + (y / k * k + dy) * side + x / k * k + dx];
                    px[(y * side + x) * 3 + c] = ToByte(sum / (k * k));
                }
        return px;
    }

    public static string Write(string path, int width, int height, int channels, byte[] pixels)
    {
        using var stream = File.Create(path);
        new ImageWriter().WritePng(pixels, width, height,
            channels switch { 1 => ColorComponents.Grey, 2 => ColorComponents.GreyAlpha, 3 => ColorComponents.RedGreenBlue, _ => ColorComponents.RedGreenBlueAlpha },
            stream);
        return path;
    }
}
