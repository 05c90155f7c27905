using System.Globalization;

namespace Cm.Pure.Traces;

/// <summary>
/// The one decimal spelling of a double in a trace: the shortest digits that parse back to the same
/// double, laid out as Python's <c>repr</c> lays them out (<c>80.0</c>, <c>0.002</c>, <c>1e-05</c>,
/// <c>1e+16</c>). So a trace written by Cm and one written by Python's <c>json</c> agree byte for byte.
/// Readers must not rely on the spelling: any JSON number with the same value is accepted.
/// </summary>
public static class DecimalText
{
    /// <summary>Python's <c>repr(x)</c> for a finite double.</summary>
    public static string Repr(double x)
    {
        if (!double.IsFinite(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "only finite values have a JSON spelling");
        if (x == 0) return double.IsNegative(x) ? "-0.0" : "0.0";
        var (negative, digits, point) = ShortestDigits(x);
        var body = point is < -3 or > 16 ? Scientific(digits, point - 1) : Fixed(digits, point);
        return negative ? "-" + body : body;
    }

    // value = 0.d1 d2 … dn × 10^point, with the fewest digits that round-trip ("R" is shortest since .NET Core 3.0).
    private static (bool Negative, string Digits, int Point) ShortestDigits(double x)
    {
        var s = Math.Abs(x).ToString("R", CultureInfo.InvariantCulture);
        var e = s.IndexOf('E');
        var exponent = e < 0 ? 0 : int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? s : s[..e];
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var frac = dot < 0 ? "" : mantissa[(dot + 1)..];
        var all = intPart + frac;
        var lead = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return (double.IsNegative(x), digits, intPart.Length - lead + exponent);
    }

    private static string Scientific(string digits, int exponent) =>
        (digits.Length == 1 ? digits : digits[0] + "." + digits[1..])
        + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);

    private static string Fixed(string digits, int point) =>
        point <= 0 ? "0." + new string('0', -point) + digits
        : point >= digits.Length ? digits + new string('0', point - digits.Length) + ".0"
        : digits[..point] + "." + digits[point..];
}
