namespace Cm.Cli.Rendering;

/// <summary>
/// How tiles are laid out: columns, the integer upscale of each image, the label strip's text scale, and
/// the gaps. <see cref="For"/> picks sensible values for a batch.
/// </summary>
public sealed record GridLayout(int Columns, int Scale, int LabelScale, int Gap)
{
    /// <summary>A near-square grid, images upscaled to at least 64 pixels, labels at twice the font size.</summary>
    public static GridLayout For(int batch, int height, int width) => new(
        Columns: Math.Max(1, (int)Math.Ceiling(Math.Sqrt(batch))),
        Scale: Math.Max(1, (int)Math.Ceiling(64.0 / Math.Max(1, Math.Max(height, width)))),
        LabelScale: 2,
        Gap: 2);

    /// <summary>Height of the label strip above each tile (zero when there are no labels).</summary>
    public int LabelHeight(bool labelled) => labelled ? BitmapFont.GlyphHeight * LabelScale + 2 * Gap : 0;
}
