using System.Globalization;

namespace Cm.Runtime.Models.Analytic;

/// <summary>Formatting of the parameters in analytic model identities (<c>analytic:&lt;name&gt;(k=v,...)</c>).</summary>
internal static class Identity
{
    /// <summary>A number in round-trip invariant form (0.25, 0.002, 1E-06).</summary>
    public static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary><c>analytic:name(k1=v1,k2=v2)</c>.</summary>
    public static string Of(string name, params (string Key, string Value)[] parameters) =>
        $"analytic:{name}({string.Join(",", parameters.Select(p => $"{p.Key}={p.Value}"))})";
}
