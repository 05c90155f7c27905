using System.Text.Json.Nodes;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary><c>--schedule-math</c> on <c>cm schedule</c> and <c>cm sample</c>, and what <c>cm verify</c> makes of it.</summary>
public sealed class ScheduleMathCliTests
{
    private static string[] TimestepBits(string json) =>
        JsonNode.Parse(json)!["timesteps_bits"]!.AsArray().Select(b => (string)b!).ToArray();

    [Fact]
    public void Schedule_with_numpy_avx512_prints_the_avx512_golden_timesteps()
    {
        var golden = GoldenFiles.Load("diffusers_numpy_avx512", "schedules_default.json")["set_timesteps"]!.AsArray()
            .Single(e => (int?)e!["num_inference_steps"] == 40)!;
        var avx = CliHarness.Run("schedule", "--steps", "40", "--schedule-math", "numpy-avx512", "--format", "json");
        Assert.True(avx.Code == 0, avx.ToString());
        Assert.Equal(golden["timesteps"]!["bits"]!.AsArray().Select(b => (string)b!), TimestepBits(avx.Out));

        var glibc = CliHarness.Run("schedule", "--steps", "40", "--format", "json");
        Assert.NotEqual(TimestepBits(glibc.Out), TimestepBits(avx.Out));
        Assert.Equal(TimestepBits(glibc.Out), TimestepBits(CliHarness.Run("schedule", "--steps", "40", "--schedule-math", "glibc", "--format", "json").Out));
    }

    [Fact]
    public void An_unknown_name_exits_3_and_lists_the_choices()
    {
        var r = CliHarness.Run("schedule", "--schedule-math", "avx512");
        Assert.Equal(3, r.Code);
        Assert.Contains("unknown schedule arithmetic 'avx512'", r.Err);
        Assert.Contains("glibc, numpy-avx512", r.Err);
    }

    [Fact]
    public void A_config_beyond_the_kernels_main_path_exits_3_under_numpy_avx512()
    {
        var r = CliHarness.Run("schedule", "--schedule-math", "numpy-avx512", "--sigma-max", "1e308");
        Assert.Equal(3, r.Code);
        // Refused by the config's float32 range check before the arithmetic's own guard is reached.
        Assert.Contains("Karras schedule is finite", r.Err);
    }

    [Fact]
    public void Sample_records_the_variant_and_verify_checks_against_it()
    {
        using var dir = new TempDir();
        var trace = dir.File("avx.jsonl");
        var s = CliHarness.Run("sample", "--out", dir.File("a.png"), "--batch", "1", "--steps", "6", "--schedule-math", "numpy-avx512",
            "--trace", trace, "--trace-tensors");
        Assert.True(s.Code == 0, s.ToString());
        Assert.Contains("\"schedule_math\":\"numpy-avx512\"", File.ReadLines(trace).First());
        var v = CliHarness.Run("verify", trace);
        Assert.True(v.Code == 0, v.ToString());
        Assert.DoesNotContain("tried glibc", v.Out);
    }
}
