using System.Diagnostics.Contracts;
using System.Globalization;

namespace Cm.Runtime.Text;

/// <summary>
/// Writes a double the way Python's <c>repr</c> does (and so diffusers' <c>json.dumps</c>): the shortest
/// decimal that parses back to the same double, with <c>.0</c> on integral values and an exponent only
/// below 1e-4 or from 1e16 on. Files Cm writes then read back bit for bit in C#, Python and NumPy, and
/// a config written by Cm looks like one written by diffusers.
/// </summary>
public static class ShortestFloat
{
    /// <summary>The Python <c>repr</c> of <paramref name="x"/>; non-finite values as <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>.</summary>
    [Pure]
    public static string Format(double x)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsPositiveInfinity(x)) return "Infinity";
        if (double.IsNegativeInfinity(x)) return "-Infinity";
        if (x == 0) return double.IsNegative(x) ? "-0.0" : "0.0";

        // .NET's "R" gives the shortest round-trip digits; only their layout differs from Python's.
        var shortest = x.ToString("R", CultureInfo.InvariantCulture);
        var (digits, exponent) = Decompose(shortest);
        var sign = x < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }
        if (exponent < 0)
            return sign + "0." + new string('0', -exponent - 1) + digits;
        if (digits.Length <= exponent + 1)
            return sign + digits + new string('0', exponent + 1 - digits.Length) + ".0";
        return sign + digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
    }

    /// <summary>A float32 as the shortest repr of its exact double value (the golden files' convention).</summary>
    [Pure]
    public static string Format(float x) => Format((double)x);

    /// <summary>The IEEE bits of a float32, <c>0x%08x</c>.</summary>
    [Pure]
    public static string Bits(float x) => "0x" + BitConverter.SingleToUInt32Bits(x).ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>The IEEE bits of a float64, <c>0x%016x</c>.</summary>
    [Pure]
    public static string Bits(double x) => "0x" + BitConverter.DoubleToUInt64Bits(x).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Significant digits (no leading or trailing zeros) and the decimal exponent of the first one.</summary>
    private static (string Digits, int Exponent) Decompose(string s)
    {
        s = s.TrimStart('-');
        var e = 0;
        var ePos = s.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            e = int.Parse(s[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..ePos];
        }
        var dot = s.IndexOf('.');
        var intPart = dot >= 0 ? s[..dot] : s;
        var frac = dot >= 0 ? s[(dot + 1)..] : "";
        var all = intPart + frac;
        var lead = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        // The first significant digit sits at position `lead` of `all`; the point is after intPart.
        var exponent = intPart.Length - 1 - lead + e;
        return (digits.Length == 0 ? "0" : digits, exponent);
    }
}
