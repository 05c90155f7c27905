using System.Buffers.Binary;

namespace Cm.Tests.Cli;

/// <summary>Minimal PNG reading for tests: the signature and IHDR's width and height.</summary>
public static class PngCheck
{
    public static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static (int Width, int Height) Size(byte[] png)
    {
        if (!png.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("not a PNG signature");
        if (System.Text.Encoding.ASCII.GetString(png, 12, 4) != "IHDR") throw new InvalidDataException("first chunk is not IHDR");
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    /// <summary>Bytes per pixel channel layout from IHDR: bit depth and colour type.</summary>
    public static (byte BitDepth, byte ColourType) Format(byte[] png) => (png[24], png[25]);
}
