using System.ComponentModel;
using System.Diagnostics.Contracts;
using System.Globalization;
using System.Reflection;
using Spectre.Console.Cli;

namespace Cm.Cli.Parsing;

/// <summary>
/// Checks the values of typed options (numbers, enums) before Spectre.Console.Cli converts them, so a bad value
/// is reported in the user's terms: the option, the value, and what is allowed in the documented spelling
/// (<c>--steps four: expected a whole number …</c>, <c>--format yaml: allowed values are png, npy</c>) instead of
/// Spectre's <c>Failed to convert 'four' to Nullable`1</c>.
/// </summary>
public static class OptionValues
{
    /// <summary>The first bad value in <paramref name="args"/> for the command whose options are <paramref name="settings"/>, as a message.</summary>
    [Pure]
    public static string? FindProblem(IReadOnlyList<string> args, Type settings)
    {
        var options = Options(settings);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--") return null;
            var (name, inline) = Split(args[i]);
            if (!options.TryGetValue(name, out var p)) continue;
            var value = inline ?? (i + 1 < args.Count ? args[i + 1] : null);
            if (inline is null) i++;
            if (value is null) return null;   // a missing value is MissingOptionValues' concern
            if (Problem(name, value, p) is { } problem) return problem;
        }
        return null;
    }

    /// <summary>The lower-case names of an enum's values: the documented spelling.</summary>
    [Pure]
    public static string Allowed(Type enumType) =>
        string.Join(", ", Enum.GetNames(enumType).Select(n => n.ToLowerInvariant()));

    private static (string Name, string? Inline) Split(string arg)
    {
        if (!arg.StartsWith('-')) return (arg, null);
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
    }

    private static string? Problem(string name, string value, PropertyInfo p)
    {
        var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        var help = p.GetCustomAttribute<DescriptionAttribute>()?.Description is { } d ? $" ({name}: {d.Replace("[[", "[", StringComparison.Ordinal).Replace("]]", "]", StringComparison.Ordinal).TrimEnd('.')})" : "";
        if (type.IsEnum)
            return Enum.GetNames(type).Any(n => n.Equals(value, StringComparison.OrdinalIgnoreCase))
                ? null
                : $"{name} {value}: allowed values are {Allowed(type)}";
        if (type == typeof(int))
            return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? null
                : $"{name} {value}: expected a whole number{help}";
        if (type == typeof(ulong))
            return ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? null
                : $"{name} {value}: expected a whole number from 0 to {ulong.MaxValue}{help}";
        if (type == typeof(double))
            return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? null
                : $"{name} {value}: expected a number, e.g. 0.5 or 1e-3{help}";
        return null;
    }

    private static Dictionary<string, PropertyInfo> Options(Type settings)
    {
        var map = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
        foreach (var p in settings.GetProperties())
        {
            var a = p.GetCustomAttribute<CommandOptionAttribute>();
            if (a?.ValueName is null) continue;
            foreach (var n in a.LongNames) map["--" + n] = p;
            foreach (var n in a.ShortNames) map["-" + n] = p;
        }
        return map;
    }
}
