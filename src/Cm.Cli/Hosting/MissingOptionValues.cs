using System.Diagnostics.Contracts;
using System.Reflection;
using Spectre.Console.Cli;

namespace Cm.Cli.Hosting;

/// <summary>
/// Finds an option that needs a value but has none (<c>cm config init --out</c>, or <c>--out --force</c>).
/// Spectre.Console.Cli 0.57 fills such an option with its internal command name instead of failing, which
/// would write a file called <c>__default_command</c>; this check turns it into a usage error first.
/// </summary>
public static class MissingOptionValues
{
    /// <summary>Every option name (<c>--out</c>, <c>-o</c>) that takes a value, from the settings classes of this assembly.</summary>
    public static IReadOnlySet<string> ValueOptions { get; } = typeof(MissingOptionValues).Assembly.GetTypes()
        .Where(t => typeof(CommandSettings).IsAssignableFrom(t))
        .SelectMany(t => t.GetProperties())
        .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
        .Where(a => a is not null && (a.ValueName is not null))
        .SelectMany(a => a!.LongNames.Select(n => "--" + n).Concat(a.ShortNames.Select(n => "-" + n)))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The first value-taking option that is last or followed by another option (not a negative number), if any.</summary>
    [Pure]
    public static string? Find(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--") return null;
            if (!valueOptions.Contains(args[i])) continue;
            if (i + 1 >= args.Count) return args[i];
            var next = args[i + 1];
            if (next != "-" && next.StartsWith('-') && !double.TryParse(next, System.Globalization.CultureInfo.InvariantCulture, out _)) return args[i];
            i++;
        }
        return null;
    }
}
