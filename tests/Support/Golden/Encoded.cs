using System.Globalization;
using System.Text.Json.Nodes;
using Cm.Pure.Tensors;
using Xunit;

namespace Cm.Tests.Golden;

/// <summary>
/// A golden value <c>{dtype, shape, values, bits}</c> (golden README, "Value encoding"). The bits are the
/// ground truth: values are rebuilt from them, never parsed from the decimals.
/// </summary>
public sealed record Encoded(string Dtype, int[] Shape, ulong[] Bits)
{
    public static Encoded Parse(JsonNode? node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var dtype = (string)node["dtype"]!;
        var shape = node["shape"]!.AsArray().Select(x => (int)x!).ToArray();
        var bits = node["bits"]!.AsArray()
            .Select(x => ulong.Parse(((string)x!)[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        return new Encoded(dtype, shape, bits);
    }

    public static Encoded? ParseOrNull(JsonNode? node) => node is null ? null : Parse(node);

    public bool IsFloat32 => Dtype == "float32";

    public Shape TensorShape => Cm.Pure.Tensors.Shape.Of(Shape);

    public float[] F32()
    {
        Assert.Equal("float32", Dtype);
        return Bits.Select(b => BitConverter.UInt32BitsToSingle((uint)b)).ToArray();
    }

    public double[] F64()
    {
        Assert.Equal("float64", Dtype);
        return Bits.Select(b => BitConverter.UInt64BitsToDouble(b)).ToArray();
    }

    public float Scalar32 => F32().Single();
    public double Scalar64 => F64().Single();

    public Tensor<float> Tensor32() => Tensor<float>.From(TensorShape, F32());
    public Tensor<double> Tensor64() => Tensor<double>.From(TensorShape, F64());
}

/// <summary>Bit-for-bit assertions; any NaN matches any NaN (the golden README's one exception).</summary>
public static class Bits
{
    public static void Equal(Encoded expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.IsFloat32, $"{what}: golden dtype is {expected.Dtype}, Cm produced float32");
        Assert.True(expected.Bits.Length == actual.Length, $"{what}: {expected.Bits.Length} golden elements, {actual.Length} computed");
        for (var i = 0; i < actual.Length; i++)
        {
            var e = BitConverter.UInt32BitsToSingle((uint)expected.Bits[i]);
            if (float.IsNaN(e) && float.IsNaN(actual[i])) continue;
            var a = BitConverter.SingleToUInt32Bits(actual[i]);
            if (a != (uint)expected.Bits[i])
                Assert.Fail($"{what}[{i}]: expected 0x{expected.Bits[i]:x8} ({e:R}), found 0x{a:x8} ({actual[i]:R})");
        }
    }

    public static void Equal(Encoded expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.False(expected.IsFloat32, $"{what}: golden dtype is {expected.Dtype}, Cm produced float64");
        Assert.True(expected.Bits.Length == actual.Length, $"{what}: {expected.Bits.Length} golden elements, {actual.Length} computed");
        for (var i = 0; i < actual.Length; i++)
        {
            var e = BitConverter.UInt64BitsToDouble(expected.Bits[i]);
            if (double.IsNaN(e) && double.IsNaN(actual[i])) continue;
            var a = BitConverter.DoubleToUInt64Bits(actual[i]);
            if (a != expected.Bits[i])
                Assert.Fail($"{what}[{i}]: expected 0x{expected.Bits[i]:x16} ({e:R}), found 0x{a:x16} ({actual[i]:R})");
        }
    }

    public static void Equal(Encoded expected, float actual, string what) => Equal(expected, [actual], what);
    public static void Equal(Encoded expected, double actual, string what) => Equal(expected, [actual], what);

    public static void Equal<T>(Encoded expected, Tensor<T> actual, string what)
        where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape.Dims), $"{what}: shape {actual.Shape}, golden [{string.Join(", ", expected.Shape)}]");
        if (actual is Tensor<float> f) Equal(expected, f.Data, what);
        else if (actual is Tensor<double> d) Equal(expected, d.Data, what);
    }
}
