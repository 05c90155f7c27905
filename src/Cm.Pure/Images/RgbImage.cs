namespace Cm.Pure.Images;

/// <summary>An 8-bit RGB image, row-major, three bytes per pixel: what the PNG encoder takes.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    /// <summary>The bytes of pixel (x, y) start here.</summary>
    public int Offset(int x, int y) => (y * Width + x) * 3;
}
