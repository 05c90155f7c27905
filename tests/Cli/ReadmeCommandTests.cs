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
    public async Task The_readme_main_job_runs_twice_and_writes_samples_png_then_samples_2_png()
    {
        var root = RepoRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var first = Regex.Match(readme, "```sh\\n(?<cmd>[^\\n]+)\\n```").Groups["cmd"].Value;
        Assert.Equal("dotnet run --project src/Cm.Cli -- sample", first);

        using var dir = new TempDir();
        foreach (var expected in new[] { "samples.png", "samples-2.png" })
        {
            var (code, stdout, stderr) = await RunAsync(first, root, dir.Path);
            Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}");
            Assert.Equal(expected + "\n", stdout);
            Assert.Contains("16 samples 1x16x16 from analytic:glyphs, 2 steps (timesteps 22,0), torch:0 noise", stderr);
            Assert.Equal(PngCheck.Signature, File.ReadAllBytes(dir.File(expected))[..8]);
        }
        Assert.Equal(File.ReadAllBytes(dir.File("samples.png")), File.ReadAllBytes(dir.File("samples-2.png")));
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string command, string root, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Split(' ').Skip(1))
            info.ArgumentList.Add(a == "src/Cm.Cli" ? Path.Combine(root, "src", "Cm.Cli") : a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(info)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // dotnet run builds first: minutes on a loaded 2-core machine
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdoutTask, await stderrTask);
    }
}
