using Cm.Pure.Images;
using Cm.Runtime.Images;
using System.Buffers.Binary;
using System.Text;
using Cm.Cli.Rendering;
using Cm.Runtime.Files;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>The image grid, the PNG encoder and the .npy writer that <c>cm sample</c> will use.</summary>
public sealed class RenderingTests
{
    private static Tensor<float> Ramp(params int[] dims)
    {
        var shape = Shape.Of(dims);
        return Tensor<float>.From(shape, Enumerable.Range(0, shape.Count).Select(i => -1f + 2f * i / Math.Max(1, shape.Count - 1)).ToArray());
    }

    [Theory]
    [InlineData(1, 3, 8, 8)]
    [InlineData(4, 3, 64, 64)]
    [InlineData(5, 1, 2, 3)]
    public void Grid_png_is_valid_and_sized_by_the_layout(int b, int c, int h, int w)
    {
        var batch = Ramp(b, c, h, w);
        var layout = GridLayout.For(b, h, w);
        var image = ImageGrid.Render(batch, TileLabels.For(b, [.. Enumerable.Range(200, b)]), layout).Match(i => i, e => throw new Xunit.Sdk.XunitException(e.Message));
        var rows = (b + layout.Columns - 1) / layout.Columns;
        Assert.Equal(layout.Columns * w * layout.Scale + (layout.Columns + 1) * layout.Gap, image.Width);
        Assert.Equal(rows * (h * layout.Scale + layout.LabelHeight(true)) + (rows + 1) * layout.Gap, image.Height);

        var png = PngEncoding.Encode(image);
        Assert.Equal(PngCheck.Signature, png[..8]);
        Assert.Equal((image.Width, image.Height), PngCheck.Size(png));
        Assert.Equal(((byte)8, (byte)2), PngCheck.Format(png)); // 8-bit RGB
        Assert.Equal("IEND", Encoding.ASCII.GetString(png, png.Length - 8, 4));
    }

    [Fact]
    public void Pixels_follow_diffusers_conversion_and_grey_fills_all_channels()
    {
        Assert.Equal(0, ImageConversion.ToByte(-1f));
        Assert.Equal(255, ImageConversion.ToByte(1f));
        Assert.Equal(128, ImageConversion.ToByte(0f)); // 127.5 rounds half to even
        Assert.Equal(255, ImageConversion.ToByte(3f));
        Assert.Equal(0, ImageConversion.ToByte(float.NaN));

        var grey = Tensor<float>.Full(Shape.Of(1, 1, 1, 1), 1f);
        var image = ImageGrid.Render(grey, [], new GridLayout(1, 1, 2, 0)).Match(i => i, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(new byte[] { 255, 255, 255 }, image.Pixels);
    }

    [Fact]
    public void Labels_draw_ink_in_the_strip()
    {
        var batch = Tensor<float>.Full(Shape.Of(1, 3, 16, 16), -1f);
        var plain = ImageGrid.Render(batch, []).Match(i => i, e => throw new Xunit.Sdk.XunitException(e.Message));
        var labelled = ImageGrid.Render(batch, ["#0 C7"]).Match(i => i, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.True(labelled.Height > plain.Height);
        Assert.Contains(labelled.Pixels, p => p == 235);
        Assert.DoesNotContain(plain.Pixels, p => p == 235);
    }

    [Theory]
    [InlineData(new[] { 2, 2, 4, 4 })]
    [InlineData(new[] { 3, 4, 4 })]
    public void Bad_batch_shapes_are_shape_mismatches(int[] dims) =>
        Assert.IsType<ShapeMismatch>(ImageGrid.Render(Ramp(dims), []).Match(_ => throw new Xunit.Sdk.XunitException("rendered"), e => e));

    [Fact]
    public void Label_count_must_match_the_batch() =>
        Assert.IsType<ShapeMismatch>(ImageGrid.Render(Ramp(2, 3, 4, 4), ["#0"]).Match(_ => throw new Xunit.Sdk.XunitException("rendered"), e => e));

    [Theory]
    [InlineData(new[] { 2, 3, 4, 4 }, "(2, 3, 4, 4)")]
    [InlineData(new[] { 5 }, "(5,)")]
    [InlineData(new[] { 1, 1, 2, 3 }, "(1, 1, 2, 3)")]
    public void Npy_header_is_numpy_v1_little_endian_f4_c_order(int[] dims, string shapeText)
    {
        var t = Ramp(dims);
        var bytes = Npy.Encode(t);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, bytes[..8]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Equal($"{{'descr': '<f4', 'fortran_order': False, 'shape': {shapeText}, }}", header.TrimEnd(' ', '\n'));
        Assert.EndsWith("\n", header);
        Assert.Equal(10 + headerLength + 4 * t.Count, bytes.Length);
        for (var i = 0; i < t.Count; i++)
            Assert.Equal(BitConverter.SingleToInt32Bits(t[i]), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(10 + headerLength + 4 * i)));
    }

    [Fact]
    public void Font_covers_label_characters()
    {
        foreach (var c in "#0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ:=-.,/_()+")
            Assert.True(Enumerable.Range(0, 15).Any(k => BitmapFont.Ink(c, k % 3, k / 3)) || c == ' ', $"glyph {c} is empty");
        Assert.Equal(BitmapFont.Advance * 3 - 1, BitmapFont.Width("abc"));
    }
}
