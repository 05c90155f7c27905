using System.Diagnostics;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Cm.Tests.Packaging;

/// <summary>
/// The packages work outside the repository: pack Cm.Pure and Cm.Runtime into a local feed, create a fresh console
/// app that references Cm.Runtime from that feed (and picks the CPU libtorch backend itself, as docs/native-setup.md
/// tells users to), and run it. On Debian 12 this only works when the package's buildTransitive targets mark
/// libLibTorchSharp.so's GLIBCXX_3.4.32 requirement weak in the app's output. Each run packs a unique version, so the
/// NuGet cache never serves a stale package; that version is removed from the cache afterwards.
/// </summary>
public sealed class ConsumerAppTests(ITestOutputHelper output)
{
    private const string Program = """
        using Cm.Pure.Config;
        using Cm.Pure.Schedules;
        using Cm.Pure.Tensors;
        using Cm.Pure.Traces;
        using Cm.Runtime.Devices;
        using Cm.Runtime.Models.Analytic;
        using Cm.Runtime.Sampling;
        using TorchSharp;

        var config = ConfigValidation.ValidateFin(SchedulerConfig.Default).ThrowIfFail();
        var request = new SamplingRequest(config, TimestepSpec.OfIndices(22, 0), 2, Shape.Of(1, 4, 4),
            new NoiseSpec(NoiseKind.Philox, 7), LabelSpec.Unconditional, DeviceSpec.Cpu);
        var model = AnalyticModels.TryCreate("gaussian", config, torch.CPU).ThrowIfFail();
        var result = Pipeline.Run(request, model).ThrowIfFail();
        Console.WriteLine($"consumer ok: {result.Samples.Shape} finite={result.Samples.Data.ToArray().All(float.IsFinite)}");
        """;

    [Fact]
    public void A_fresh_console_app_runs_Cm_Runtime_from_the_packed_packages()
    {
        var root = RepositoryRoot();
        var version = "0.0.0-consumer." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");
        var work = Directory.CreateTempSubdirectory("cm-consumer-").FullName;
        var feed = Path.Combine(work, "feed");
        var app = Path.Combine(work, "app");
        Directory.CreateDirectory(app);
        try
        {
            foreach (var project in new[] { "src/Cm.Pure/Cm.Pure.csproj", "src/Cm.Runtime/Cm.Runtime.csproj" })
                Dotnet(root, "pack", Path.Combine(root, project), "-c", "Release", "-o", feed, $"-p:Version={version}",
                    "-p:IncludeSymbols=false");
            Assert.True(File.Exists(Path.Combine(feed, $"Cm.Runtime.{version}.nupkg")), "Cm.Runtime was not packed");

            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            // A user's project: no Directory.Build.* of ours above it (it lives under the temp folder).
            File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Cm.Runtime" Version="{version}" />
                    <PackageReference Include="libtorch-cpu-linux-x64" Version="2.10.0" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
            var run = Dotnet(app, "run", "--project", Path.Combine(app, "Consumer.csproj"));
            Assert.Contains("consumer ok: [2, 1, 4, 4] finite=True", run);
        }
        finally
        {
            foreach (var id in new[] { "cm.pure", "cm.runtime" })
                TryDelete(Path.Combine(NuGetCache(), id, version));
            TryDelete(work);
        }
    }

    private string Dotnet(string cwd, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(900_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish in 15 minutes");
        }
        var text = new StringBuilder().Append(stdout.Result).Append(stderr.Result).ToString();
        output.WriteLine($"$ dotnet {string.Join(' ', args)}\n{text}");
        Assert.True(p.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited {p.ExitCode}:\n{text}");
        return text;
    }

    private static string NuGetCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static void TryDelete(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cm.sln not found above the test binaries.");
    }
}
