using Cm.Cli.Hosting;
using Spectre.Console.Testing;

namespace Cm.Tests.Cli;

/// <summary>What one run of <c>cm</c> gave: exit code, stdout and stderr.</summary>
public sealed record CliResult(int Code, string Out, string Err)
{
    /// <inheritdoc/>
    public override string ToString() => $"exit {Code}\n--- stdout ---\n{Out}\n--- stderr ---\n{Err}";
}

/// <summary>Runs the Spectre command app in-process with captured consoles (wide, so tables do not wrap).</summary>
public static class CliHarness
{
    public static CliResult Run(params string[] args)
    {
        var (o, e) = (new TestConsole().Width(400), new TestConsole().Width(400));
        var code = CliApp.Run(args, new CliConsoles(o, e));
        return new CliResult(code, o.Output, e.Output);
    }
}

