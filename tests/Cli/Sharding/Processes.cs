using System.Diagnostics;

namespace Cm.Tests.Cli.Sharding;

/// <summary>Runs a program with a chosen environment and a time limit; what it printed comes back.</summary>
internal static class Processes
{
    /// <summary>The variables <c>--shard auto</c> reads: removed from every child unless a test sets them.</summary>
    public static readonly string[] ShardVariables =
    [
        "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "JOB_COMPLETION_INDEX",
        "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "PMI_RANK", "PMI_SIZE",
    ];

    public static CliResult Run(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null, int timeoutSeconds = 120, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var v in ShardVariables) info.Environment.Remove(v);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["OMP_NUM_THREADS"] = "1";
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutSeconds} s\n{stdout.Result}\n{stderr.Result}");
        }
        return new CliResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The full path of a program on PATH (or in the sbin folders daemons live in), or a loud failure naming the package.</summary>
    public static string Require(string program, string package)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin", "/usr/bin"]);
        return dirs.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
               ?? throw new InvalidOperationException(
                   $"{program} is not installed: this test needs Debian's {package} (.ci/setup installs it: apt-get install -y --no-install-recommends {package})");
    }
}
