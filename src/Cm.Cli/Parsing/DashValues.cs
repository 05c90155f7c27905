using System.Diagnostics.Contracts;

namespace Cm.Cli.Parsing;

/// <summary>
/// <c>--out -</c> (stdout, by the usual convention): Spectre.Console.Cli 0.57 rejects a lone <c>-</c> token
/// ("Option does not have a name"), but accepts <c>--out=-</c>; this joins a value option and a following
/// <c>-</c> into that form before parsing.
/// </summary>
public static class DashValues
{
    /// <summary><paramref name="args"/> with every <c>OPTION -</c> (a value-taking option) written <c>OPTION=-</c>.</summary>
    [Pure]
    public static string[] Join(IReadOnlyList<string> args, IReadOnlySet<string> valueOptions)
    {
        var result = new List<string>(args.Count);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--")
            {
                result.AddRange(args.Skip(i));
                break;
            }
            if (valueOptions.Contains(args[i]) && i + 1 < args.Count && args[i + 1] == "-")
            {
                result.Add(args[i] + "=-");
                i++;
            }
            else result.Add(args[i]);
        }
        return [.. result];
    }
}
