using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>
/// The README's main-job command is the command this test runs: it reads the first shell block of
/// README.md and executes it (with the project path made absolute, in a fresh folder, so an earlier
/// samples.png in the repository is neither needed nor touched).
/// </summary>
public sealed class ReadmeCommandTests
{
    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cm.sln not found above the test binaries");
    }

    [Fact]
    public async Task The_readme_main_job_runs_and_writes_samples_png()
    {
        var root = RepoRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var first = Regex.Match(readme, "```sh\\n(?<cmd>[^\\n]+)\\n```").Groups["cmd"].Value;
        Assert.Equal("dotnet run --project src/Cm.Cli -- sample", first);

        using var dir = new TempDir();
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in first.Split(' ').Skip(1))
            info.ArgumentList.Add(a == "src/Cm.Cli" ? Path.Combine(root, "src", "Cm.Cli") : a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(info)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(timeout.Token);
        var (stdout, stderr) = (await stdoutTask, await stderrTask);
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}\n{stdout}\n{stderr}");
        Assert.StartsWith("samples.png", stdout);
        Assert.Contains("16 samples 1x16x16 from analytic:glyphs, 2 steps (timesteps 22,0), torch:0 noise", stdout);
        Assert.Equal(PngCheck.Signature, File.ReadAllBytes(dir.File("samples.png"))[..8]);
    }
}
