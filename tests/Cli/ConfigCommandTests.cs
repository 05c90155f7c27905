using Cm.Pure.Config;
using Cm.Runtime.Configs;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary><c>cm config init|show|check</c> in-process.</summary>
public sealed class ConfigCommandTests
{
    [Fact]
    public void Init_writes_defaults_that_check_accepts()
    {
        using var dir = new TempDir();
        var path = dir.File("scheduler_config.json");
        var init = CliHarness.Run("config", "init", "--out", path);
        Assert.True(init.Code == 0, init.ToString());
        Assert.Equal(DiffusersConfigJson.Encode(ConfigDocument.Of(SchedulerConfig.Default)), File.ReadAllText(path));

        var check = CliHarness.Run("config", "check", path);
        Assert.True(check.Code == 0, check.ToString());
        Assert.Contains("valid", check.Out);
    }

    [Fact]
    public void Init_applies_overrides_and_refuses_to_overwrite()
    {
        using var dir = new TempDir();
        var path = dir.File("c.json");
        Assert.Equal(0, CliHarness.Run("config", "init", "-o", path, "--sigma-max", "50", "--clip-denoised", "False").Code);
        var text = File.ReadAllText(path);
        Assert.Contains("\"sigma_max\": 50.0", text);
        Assert.Contains("\"clip_denoised\": false", text);

        var again = CliHarness.Run("config", "init", "-o", path);
        Assert.Equal(3, again.Code);
        Assert.Contains("--force", again.Err);
        Assert.Equal(text, File.ReadAllText(path));

        var bad = CliHarness.Run("config", "init", "-o", path, "--force", "--rho", "-7");
        Assert.Equal(3, bad.Code);
        Assert.Equal(text, File.ReadAllText(path)); // a failed command leaves the file untouched

        Assert.Equal(0, CliHarness.Run("config", "init", "-o", path, "--force").Code);
        Assert.Contains("\"sigma_max\": 80.0", File.ReadAllText(path));
    }

    [Fact]
    public void Init_into_a_missing_folder_is_invalid_input()
    {
        using var dir = new TempDir();
        var r = CliHarness.Run("config", "init", "-o", dir.File("missing/c.json"));
        Assert.Equal(3, r.Code);
        Assert.Contains("does not exist", r.Err);
    }

    [Fact]
    public void Show_prints_the_effective_config_keeping_version_and_unknown_keys()
    {
        using var dir = new TempDir();
        var file = dir.Write("c.json", Cm.Tests.Golden.UpstreamConfig.Text.Replace("\"rho\": 7.0", "\"rho\": 7.0,\n  \"zzz\": 1"));
        var r = CliHarness.Run("config", "show", "--config", file, "--sigma-min", "0.01");
        Assert.True(r.Code == 0, r.ToString());
        var shown = DiffusersConfigJson.Parse(r.Out).Match(l => l, ps => throw new Xunit.Sdk.XunitException(string.Join("; ", ps)));
        Assert.Equal(SchedulerConfig.Default with { sigma_min = 0.01 }, shown.Valid.Value);
        Assert.Equal("0.17.0.dev0", shown.Document.DiffusersVersion);
        Assert.Equal("zzz", Assert.Single(shown.Document.UnknownKeys).Key);
        Assert.Contains("zzz", r.Err); // warned about, on stderr
    }

    [Fact]
    public void Show_without_a_file_is_the_defaults()
    {
        var r = CliHarness.Run("config", "show");
        Assert.Equal(0, r.Code);
        Assert.Equal(DiffusersConfigJson.Encode(ConfigDocument.Of(SchedulerConfig.Default)), r.Out);
    }

    [Fact]
    public void Check_lists_every_problem_and_exits_3()
    {
        using var dir = new TempDir();
        var file = dir.Write("bad.json", """{"_class_name": "DDPMScheduler", "sigma_min": -1, "rho": "seven", "num_train_timesteps": 1}""");
        var r = CliHarness.Run("config", "check", file);
        Assert.Equal(3, r.Code);
        foreach (var key in new[] { "_class_name", "sigma_min", "rho", "num_train_timesteps" })
            Assert.Contains(key, r.Err);
        Assert.Contains("bad.json", r.Err);
    }

    [Theory]
    [InlineData(3, "no such file", "config", "check", "/nonexistent.json")]
    [InlineData(3, "not valid JSON", "config", "check", "BADJSON")]
    [InlineData(2, "usage", "config", "check")]
    [InlineData(2, "usage", "config", "frobnicate")]
    public void Check_bad_invocations(int code, string message, params string[] args)
    {
        using var dir = new TempDir();
        var bad = dir.Write("bad.json", "{ not json");
        var r = CliHarness.Run([.. args.Select(a => a == "BADJSON" ? bad : a)]);
        Assert.True(code == r.Code, r.ToString());
        Assert.Contains(message, r.Err, StringComparison.OrdinalIgnoreCase);
    }
}
