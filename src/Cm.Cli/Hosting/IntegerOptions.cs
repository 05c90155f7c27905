using System.Diagnostics.Contracts;
using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace Cm.Cli.Hosting;

/// <summary>
/// Integer options take plain decimal integers only. Spectre converts option values with .NET's type
/// converters, which read <c>--batch 0x10</c> as 16 and an empty <c>--steps ''</c> as "not given" (so the
/// default runs); both are usage errors here, found before parsing.
/// </summary>
public static partial class IntegerOptions
{
    /// <summary>Every option name (<c>--batch</c>, <c>-b</c>) whose property is an integer.</summary>
    public static IReadOnlySet<string> Names { get; } = typeof(IntegerOptions).Assembly.GetTypes()
        .Where(t => typeof(CommandSettings).IsAssignableFrom(t))
        .SelectMany(t => t.GetProperties())
        .Where(p => IsInteger(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType))
        .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
        .Where(a => a is not null && a.ValueName is not null)
        .SelectMany(a => a!.LongNames.Select(n => "--" + n).Concat(a.ShortNames.Select(n => "-" + n)))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The first integer option whose value is not a decimal integer, with that value, if any.</summary>
    [Pure]
    public static (string Option, string Value)? Find(IReadOnlyList<string> args, IReadOnlySet<string> names)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--") return null;
            var (name, value) = Split(args[i]);
            if (!names.Contains(name)) continue;
            if (value is null)
            {
                if (i + 1 >= args.Count) return null;   // a missing value is MissingOptionValues' case
                value = args[++i];
            }
            if (!Decimal().IsMatch(value)) return (name, value);
        }
        return null;
    }

    private static (string Name, string? Value) Split(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal)) return (arg, null);
        var eq = arg.IndexOfAny(['=', ':']);
        return eq < 0 ? (arg, null) : (arg[..eq], arg[(eq + 1)..]);
    }

    private static bool IsInteger(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(uint) || t == typeof(ulong) || t == typeof(short) || t == typeof(ushort);

    [GeneratedRegex(@"^[+-]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Decimal();
}
