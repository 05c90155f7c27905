using System.Globalization;

namespace Cm.Pure.Traces;

/// <summary>
/// A scalar as a trace writes it, <c>{"value": decimal, "bits": "0x…"}</c>: the bits are the ground truth,
/// the decimal is for people, and a reader checks that both name the same number.
/// </summary>
public static class ExactScalar
{
    /// <summary>The bits of a float32 as <c>0x%08x</c>.</summary>
    public static string Bits(float x) => "0x" + BitConverter.SingleToUInt32Bits(x).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>The bits of a float64 as <c>0x%016x</c>.</summary>
    public static string Bits(double x) => "0x" + BitConverter.DoubleToUInt64Bits(x).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>A float32 from <c>0x%08x</c> (exactly 8 lowercase hex digits), if it is one.</summary>
    public static float? ParseBits32(string s) =>
        IsHex(s, 8) ? BitConverter.UInt32BitsToSingle(uint.Parse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)) : null;

    /// <summary>A float64 from <c>0x%016x</c> (exactly 16 lowercase hex digits), if it is one.</summary>
    public static double? ParseBits64(string s) =>
        IsHex(s, 16) ? BitConverter.UInt64BitsToDouble(ulong.Parse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)) : null;

    /// <summary>A float32 with its bits, for messages: <c>0.002 (0x3b03126f)</c>.</summary>
    public static string Show(float x) => $"{((double)x).ToString("R", CultureInfo.InvariantCulture)} ({Bits(x)})";

    /// <summary>A float64 with its bits, for messages.</summary>
    public static string Show(double x) => $"{x.ToString("R", CultureInfo.InvariantCulture)} ({Bits(x)})";

    private static bool IsHex(string s, int digits) =>
        s.Length == digits + 2 && s.StartsWith("0x", StringComparison.Ordinal)
        && s.Skip(2).All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
