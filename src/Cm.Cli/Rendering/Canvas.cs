using Cm.Pure.Images;

namespace Cm.Cli.Rendering;

/// <summary>
/// Drawing on an <see cref="RgbImage"/> the caller is building (tile labels, the schedule plot): text in the
/// built-in bitmap font, lines, filled squares. Pixels outside the image are skipped, so nothing here can fail.
/// The only mutation is of the image being made; no caller sees a half-drawn value.
/// </summary>
public static class Canvas
{
    /// <summary>A white image of the given size.</summary>
    public static RgbImage Blank(int width, int height)
    {
        var pixels = new byte[width * height * 3];
        Array.Fill(pixels, (byte)255);
        return new RgbImage(width, height, pixels);
    }

    /// <summary>One pixel, if it lies on the image.</summary>
    public static void Dot(RgbImage image, int x, int y, (byte R, byte G, byte B) ink)
    {
        if (x < 0 || y < 0 || x >= image.Width || y >= image.Height) return;
        var o = image.Offset(x, y);
        image.Pixels[o] = ink.R;
        image.Pixels[o + 1] = ink.G;
        image.Pixels[o + 2] = ink.B;
    }

    /// <summary>A filled square of side 2·<paramref name="half"/> + 1 centred on (x, y).</summary>
    public static void Square(RgbImage image, int x, int y, int half, (byte, byte, byte) ink)
    {
        for (var dy = -half; dy <= half; dy++)
            for (var dx = -half; dx <= half; dx++)
                Dot(image, x + dx, y + dy, ink);
    }

    /// <summary>A line <paramref name="thickness"/> pixels wide (Bresenham, each point a small square).</summary>
    public static void Line(RgbImage image, int x0, int y0, int x1, int y1, int thickness, (byte, byte, byte) ink)
    {
        int dx = Math.Abs(x1 - x0), dy = -Math.Abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1, err = dx + dy;
        while (true)
        {
            Square(image, x0, y0, (thickness - 1) / 2, ink);
            if (x0 == x1 && y0 == y1) return;
            var e2 = 2 * err;
            if (e2 >= dy) { err += dy; x0 += sx; }
            if (e2 <= dx) { err += dx; y0 += sy; }
        }
    }

    /// <summary>Text in the bitmap font at <paramref name="scale"/> pixels per font pixel, clipped to <paramref name="maxWidth"/>.</summary>
    public static void Text(RgbImage image, string text, int x0, int y0, int scale, int maxWidth, (byte, byte, byte) ink)
    {
        var fit = Math.Max(0, (maxWidth / scale + 1) / BitmapFont.Advance);
        if (text.Length > fit) text = text[..fit];
        for (var i = 0; i < text.Length; i++)
            for (var gy = 0; gy < BitmapFont.GlyphHeight; gy++)
                for (var gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                    if (BitmapFont.Ink(text[i], gx, gy))
                        for (var dy = 0; dy < scale; dy++)
                            for (var dx = 0; dx < scale; dx++)
                                Dot(image, x0 + (i * BitmapFont.Advance + gx) * scale + dx, y0 + gy * scale + dy, ink);
    }

    /// <summary>The width in pixels of <paramref name="text"/> at <paramref name="scale"/>.</summary>
    public static int TextWidth(string text, int scale) => BitmapFont.Width(text) * scale;
}

