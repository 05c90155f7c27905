using Spectre.Console;

namespace Cm.Cli.Hosting;

/// <summary>
/// Where a command writes: results to <see cref="Out"/> (so they can be piped), status, progress and
/// diagnostics to <see cref="Err"/>. Tests pass captured consoles.
/// </summary>
/// <param name="Out">stdout.</param>
/// <param name="Err">stderr.</param>
/// <param name="ErrIsTerminal">Whether stderr is a terminal: the one rule for the progress bar (docs/cli.md).</param>
/// <param name="OpenBinaryOut">stdout as bytes, for <c>--out -</c> (null: not available, e.g. in-process tests).</param>
public sealed record CliConsoles(IAnsiConsole Out, IAnsiConsole Err, bool ErrIsTerminal = false, Func<Stream>? OpenBinaryOut = null)
{
    /// <summary>
    /// Width of text written to something that is not a terminal: wide enough that tables and help are never
    /// broken inside a number or a name (Spectre would otherwise assume 80 columns). <c>COLUMNS</c> overrides it.
    /// </summary>
    public const int PlainWidth = 200;

    /// <summary>The process's stdout and stderr.</summary>
    public static CliConsoles System()
    {
        var outConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var errConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var columns = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var c) && c >= 20 ? c : PlainWidth;
        if (Console.IsOutputRedirected) outConsole.Profile.Width = columns;
        if (Console.IsErrorRedirected) errConsole.Profile.Width = columns;
        return new CliConsoles(outConsole, errConsole, !Console.IsErrorRedirected, Console.OpenStandardOutput);
    }

    /// <summary>Writes machine-readable text verbatim (no markup, no wrapping) to stdout.</summary>
    public void Data(string text) => Out.Profile.Out.Writer.Write(text);

    /// <summary>Writes a plain line to stdout.</summary>
    public void Info(string text) => Out.Profile.Out.Writer.WriteLine(text);

    /// <summary>Arguments of this run, clipped wherever a message on stderr would repeat them (<see cref="Shown.Redact"/>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Writes a plain line to stderr, never echoing more than <see cref="Shown.MaxChars"/> characters of one argument.</summary>
    public void Error(string text) => Err.Profile.Out.Writer.WriteLine(Shown.Redact(text, Arguments));

    /// <summary>Writes a plain status line (summary, progress without a terminal) to stderr.</summary>
    public void Status(string text) => Err.Profile.Out.Writer.WriteLine(text);
}
