using Cm.Runtime.Text;
using FsCheck.Xunit;
using Xunit;

namespace Cm.Tests.Cli;

public sealed class ShortestFloatTests
{
    [Theory]
    [InlineData(80.0, "80.0")]
    [InlineData(0.002, "0.002")]
    [InlineData(0.5, "0.5")]
    [InlineData(7.0, "7.0")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.007, "1.007")]
    [InlineData(123.456e-10, "1.23456e-08")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Formats_like_python_repr(double x, string expected) => Assert.Equal(expected, ShortestFloat.Format(x));

    [Property(MaxTest = 2000)]
    public bool Every_finite_double_round_trips(double x) =>
        !double.IsFinite(x) || BitConverter.DoubleToInt64Bits(double.Parse(ShortestFloat.Format(x), System.Globalization.CultureInfo.InvariantCulture))
            == BitConverter.DoubleToInt64Bits(x);

    [Property(MaxTest = 2000)]
    public bool Every_float_round_trips_through_its_double(float x) =>
        !float.IsFinite(x) || BitConverter.SingleToInt32Bits((float)double.Parse(ShortestFloat.Format(x), System.Globalization.CultureInfo.InvariantCulture))
            == BitConverter.SingleToInt32Bits(x);

    [Fact]
    public void Bits_are_lower_case_hex_of_fixed_width()
    {
        Assert.Equal("0x3b03126f", ShortestFloat.Bits(0.002f));
        Assert.Equal("0x4054000000000000", ShortestFloat.Bits(80.0));
    }
}
