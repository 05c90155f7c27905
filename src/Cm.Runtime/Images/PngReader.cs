using Cm.Runtime.Errors;
using LanguageExt;
using StbImageSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Images;

/// <summary>
/// Reads PNG files for editing (references and masks) with StbImageSharp (the C# port of stb_image). Reads at
/// most <see cref="MaxBytes"/> bytes and accepts only PNG (by its signature), 8 bits per channel after
/// decoding, at most <see cref="MaxSide"/> pixels a side. Alpha must be fully opaque and is then dropped;
/// the result keeps the file's gray or RGB channels.
/// </summary>
public static class PngReader
{
    /// <summary>Largest file read.</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>Largest width or height accepted.</summary>
    public const int MaxSide = 4096;

    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The decoded image, or an <see cref="InvalidImage"/> naming the problem.</summary>
    public static Fin<PngImage> Read(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return FinFail<PngImage>(new InvalidImage(path, "no such file"));
            if (info.Length > MaxBytes) return FinFail<PngImage>(new InvalidImage(path, $"{info.Length} bytes; at most {MaxBytes} are read"));
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<PngImage>(new InvalidImage(path, "cannot be read: " + e.Message));
        }
        return Decode(path, bytes);
    }

    /// <summary>Decodes PNG bytes (see <see cref="Read"/>).</summary>
    public static Fin<PngImage> Decode(string path, byte[] bytes)
    {
        if (bytes.Length < Signature.Length || !bytes.AsSpan(0, Signature.Length).SequenceEqual(Signature))
            return FinFail<PngImage>(new InvalidImage(path, "not a PNG file (the PNG signature is missing)"));
        ImageResult img;
        try
        {
            img = ImageResult.FromMemory(bytes, ColorComponents.Default);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return FinFail<PngImage>(new InvalidImage(path, "corrupt PNG: " + e.Message));
        }
        if (img is null || img.Data is null) return FinFail<PngImage>(new InvalidImage(path, "corrupt PNG"));
        if (img.Width < 1 || img.Height < 1 || img.Width > MaxSide || img.Height > MaxSide)
            return FinFail<PngImage>(new InvalidImage(path, $"{img.Width}x{img.Height} pixels; sides must be 1..{MaxSide}"));
        var comp = (int)img.Comp;
        var (channels, hasAlpha) = img.Comp switch
        {
            ColorComponents.Grey => (1, false),
            ColorComponents.GreyAlpha => (1, true),
            ColorComponents.RedGreenBlue => (3, false),
            _ => (3, true),
        };
        var n = img.Width * img.Height;
        if (img.Data.Length != n * comp) return FinFail<PngImage>(new InvalidImage(path, "corrupt PNG: truncated pixel data"));
        var pixels = new byte[n * channels];
        for (var p = 0; p < n; p++)
        {
            if (hasAlpha && img.Data[p * comp + comp - 1] != 255)
                return FinFail<PngImage>(new InvalidImage(path, $"pixel ({p % img.Width}, {p / img.Width}) is transparent; editing needs opaque images (remove the alpha channel)"));
            for (var c = 0; c < channels; c++) pixels[p * channels + c] = img.Data[p * comp + c];
        }
        return FinSucc(new PngImage(path, img.Width, img.Height, channels, pixels));
    }
}
