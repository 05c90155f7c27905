namespace Cm.Runtime.Images;

/// <summary>A decoded 8-bit PNG: width, height, its channels (1 gray or 3 RGB; alpha removed) and the pixels, row-major, interleaved.</summary>
public sealed record PngImage(string Path, int Width, int Height, int Channels, byte[] Pixels);
