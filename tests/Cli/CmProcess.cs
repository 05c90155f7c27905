using System.Diagnostics;

namespace Cm.Tests.Cli;

/// <summary>
/// Runs the built <c>cm</c> as a real process: <c>dotnet cm.dll</c>. The test project references Cm.Cli,
/// so <c>cm.dll</c> (with its runtimeconfig and deps files) is copied next to the test assembly; the
/// environment variable <c>CM_DLL</c> may point elsewhere (e.g. a packed tool).
/// </summary>
public static class CmProcess
{
    public static string DllPath
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("CM_DLL");
            if (!string.IsNullOrEmpty(env)) return env;
            var path = Path.Combine(AppContext.BaseDirectory, "cm.dll");
            if (!File.Exists(path))
                throw new FileNotFoundException($"cm.dll not found next to the tests ({path}); build tests/Cli, or set CM_DLL");
            return path;
        }
    }

    public static CliResult Run(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(180_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"cm {string.Join(' ', args)} did not finish in 180 s");
        }
        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }
}
