using Cm.Runtime.Configs;
using LanguageExt;

namespace Cm.Cli.Hosting;

/// <summary>Prints config warnings to stderr, where they never mix with data on stdout.</summary>
public static class Diagnostics
{
    /// <summary>One line per warning, naming the file.</summary>
    public static void Warn(CliConsoles io, string? source, Arr<ConfigWarning> warnings)
    {
        foreach (var w in warnings)
            io.Error($"cm: warning: {source ?? "config"}: {w}");
    }
}
