using Spectre.Console;

namespace Cm.Cli.Hosting;

/// <summary>
/// Where a command writes: results to <see cref="Out"/> (so they can be piped), diagnostics to
/// <see cref="Err"/>. Tests pass captured consoles.
/// </summary>
public sealed record CliConsoles(IAnsiConsole Out, IAnsiConsole Err)
{
    /// <summary>The process's stdout and stderr.</summary>
    public static CliConsoles System() => new(
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }),
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));

    /// <summary>Writes machine-readable text verbatim (no markup, no wrapping) to stdout.</summary>
    public void Data(string text) => Out.Profile.Out.Writer.Write(text);

    /// <summary>Writes a plain line to stdout.</summary>
    public void Info(string text) => Out.Profile.Out.Writer.WriteLine(text);

    /// <summary>Arguments of this run, clipped wherever a message on stderr would repeat them (<see cref="Shown.Redact"/>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Writes a plain line to stderr, never echoing more than <see cref="Shown.MaxChars"/> characters of one argument.</summary>
    public void Error(string text) => Err.Profile.Out.Writer.WriteLine(Shown.Redact(text, Arguments));
}
