using Cm.Pure.Tensors;
using Cm.Pure.Images;
using Xunit;

namespace Cm.Tests.Images;

/// <summary>diffusers' image conversion: (x/2 + 0.5).clamp(0, 1), then (·255).round() (NumPy: half to even).</summary>
public sealed class ImageConversionTests
{
    [Theory]
    [InlineData(-1f, 0)]
    [InlineData(1f, 255)]
    [InlineData(0f, 128)]          // 0.5·255 = 127.5 → 128 (even)
    [InlineData(-2f, 0)]           // clamped
    [InlineData(3f, 255)]          // clamped
    [InlineData(float.NaN, 0)]
    [InlineData(-0.003921569f, 127)] // u = 0.4980392 → 126.99999 → 127
    public void Values_convert_as_diffusers_pipeline_does(float x, byte expected) =>
        Assert.Equal(expected, ImageConversion.ToByte(x));

    [Fact]
    public void Tensors_convert_elementwise_in_row_major_order()
    {
        var x = Tensor<float>.From(Shape.Of(1, 1, 2, 2), [-1f, 0f, 0.5f, 1f]);
        Assert.Equal([0f, 0.5f, 0.75f, 1f], ImageConversion.ToUnit(x).ToArray());
        Assert.Equal(new byte[] { 0, 128, 191, 255 }, ImageConversion.ToBytes(x));
    }
}
