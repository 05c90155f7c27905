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

/// <summary>A fresh temporary folder, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cm-cli-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        System.IO.File.WriteAllText(File(name), text);
        return File(name);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
