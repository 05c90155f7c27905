using System.Diagnostics.Contracts;
using Cm.Pure.Images;
using StbImageWriteSharp;

namespace Cm.Runtime.Images;

/// <summary>
/// PNG bytes of an <see cref="RgbImage"/>, with StbImageWriteSharp: fully managed (no native library to
/// ship or load), deterministic output, and nothing else to configure. See docs/cli.md for the choice.
/// </summary>
public static class PngEncoding
{
    /// <summary>The PNG file's bytes.</summary>
    [Pure]
    public static byte[] Encode(RgbImage image)
    {
        using var stream = new MemoryStream();
        new ImageWriter().WritePng(image.Pixels, image.Width, image.Height, ColorComponents.RedGreenBlue, stream);
        return stream.ToArray();
    }
}
