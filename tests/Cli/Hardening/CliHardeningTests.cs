using System.Text;
using Cm.Runtime.Files;
using Cm.Runtime.Traces;
using Cm.Tests.Traces;
using Xunit;

namespace Cm.Tests.Cli.Hardening;

/// <summary>Issue 15's command-line findings, one named test each: clear errors (exit 2 or 3), no lost data, bounded memory.</summary>
public sealed class CliHardeningTests
{
    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cm.sln"))) return Path.Combine(dir.FullName, "tests", "fixtures", "models", name);
        throw new DirectoryNotFoundException("Cm.sln not found above the test binaries.");
    }

    private static void Refused(CliResult r, int code, params string[] says)
    {
        Assert.True(r.Code == code, r.ToString());
        foreach (var s in says) Assert.Contains(s, r.Err);
        Assert.DoesNotContain("unexpected failure", r.Err);
    }

    [Fact]
    public void A_users_own_partial_file_is_never_touched()
    {
        using var dir = new TempDir();
        var keep = dir.Write("keep.jsonl.partial", "mine");
        var r = CliHarness.Run("sample", "--batch", "2", "--out", dir.File("a.png"), "--trace", dir.File("keep.jsonl"));
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal("mine", File.ReadAllText(keep));
        Assert.True(TraceFile.Verify(dir.File("keep.jsonl")).Ok);
    }

    [Theory]
    [InlineData("--sigma-data", "1e300", "sigma_data")]
    [InlineData("--s-noise", "1e300", "s_noise")]
    [InlineData("--sigma-max", "1e30", "sigma_max")]
    public void A_config_with_non_finite_scalings_is_refused_by_check_schedule_and_sample(string option, string value, string key)
    {
        using var dir = new TempDir();
        var cfg = dir.File("c.json");
        Assert.Equal(0, CliHarness.Run("config", "init", "--out", cfg).Code);
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(cfg), $"\"{key}\"\\s*:\\s*[0-9.eE+-]+", $"\"{key}\": {value}");
        Assert.Contains(value, text);
        File.WriteAllText(cfg, text);
        Refused(CliHarness.Run("config", "check", cfg), 3, key);
        Refused(CliHarness.Run("schedule", "--format", "json", "--steps", "4", option, value), 3, key);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Refused(CliHarness.Run("sample", "--steps", "4", "--out", dir.File("x.png"), option, value), 3, key);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.False(File.Exists(dir.File("x.png")));
    }

    [Fact]
    public void Huge_requests_are_refused_early_with_the_limit_and_how_to_raise_it()
    {
        using var dir = new TempDir();
        var before = GC.GetTotalAllocatedBytes();
        Refused(CliHarness.Run("sample", "--batch", "1000000", "--out", dir.File("a.png")), 3, "67108864", "CM_MAX_ELEMENTS");
        Refused(CliHarness.Run("sample", "--model", "analytic:gaussian", "--shape", "3,65536,65536", "--out", dir.File("a.png")), 3, "CM_MAX_ELEMENTS");
        Refused(CliHarness.Run("sample", "--batch", "60000", "--trace", dir.File("t.jsonl"), "--trace-tensors", "--out", dir.File("a.png")), 3, "line limit", "without --trace-tensors");
        Refused(CliHarness.Run("schedule", "--num-train-timesteps", "2000000000", "--steps", "2000000000"), 3, "at most 1000000 steps");
        Assert.True(GC.GetTotalAllocatedBytes() - before < 256L << 20, "allocated more than 256 MiB while refusing");
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Non_regular_files_are_refused_as_models_configs_traces_and_outputs()
    {
        using var dir = new TempDir();
        Refused(CliHarness.Run("sample", "--model", "/dev/zero", "--shape", "1,4,4", "--out", dir.File("a.png")), 3, "not a regular file");
        Refused(CliHarness.Run("config", "check", "/dev/zero"), 3, "not a regular file");
        Refused(CliHarness.Run("verify", "/dev/zero"), 3);
        Refused(CliHarness.Run("sample", "--batch", "1", "--out", "/dev/null", "--force"), 3, "not a regular file");
        Assert.Equal(Cm.Runtime.Files.FileType.Special, Cm.Runtime.Files.FileKind.Of("/dev/null"));
    }

    [Fact]
    public void A_huge_config_is_refused_unread_and_never_echoed()
    {
        using var dir = new TempDir();
        var big = dir.File("big.json");
        File.WriteAllText(big, "{\"" + new string('k', 3 << 20) + "\":1}");
        var r = CliHarness.Run("config", "check", big);
        Refused(r, 3, "1048576-byte limit");
        Assert.True(r.Err.Length < 2000, $"stderr is {r.Err.Length} characters");
        // Under the limit but full of unknown keys and long values: warnings and problems stay short too.
        var wide = dir.File("wide.json");
        File.WriteAllText(wide, "{\"_class_name\":\"CMStochasticIterativeScheduler\",\"sigma_max\":\"" + new string('9', 500_000) + "\"}");
        r = CliHarness.Run("config", "check", wide);
        Assert.Equal(3, r.Code);
        Assert.True(r.Err.Length + r.Out.Length < 5000, $"output is {r.Err.Length + r.Out.Length} characters");
    }

    [Fact]
    public void Two_outputs_resolving_to_one_path_are_refused()
    {
        using var dir = new TempDir();
        var r = CliHarness.Run("sample", "--batch", "1", "--out", dir.File("a.png"), "--trace", Path.Combine(dir.Path, ".", "a.png"));
        Refused(r, 3, "different files");
        Assert.False(File.Exists(dir.File("a.png")));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("folder")]
    [InlineData("/dev/zero")]
    [InlineData("empty")]
    public void Diff_of_a_file_that_is_not_a_trace_with_itself_is_an_error(string kind)
    {
        using var dir = new TempDir();
        var x = kind switch
        {
            "missing" => dir.File("none.jsonl"),
            "folder" => dir.Path,
            "empty" => dir.Write("e.jsonl", ""),
            _ => kind,
        };
        var r = CliHarness.Run("diff", x, x);
        Refused(r, 3);
        Assert.DoesNotContain("no divergence", r.Out);
    }

    [Theory]
    [InlineData("--batch", "0x10")]
    [InlineData("--steps", "")]
    [InlineData("--batch", "1e3")]
    [InlineData("--seed", "0x1")]
    public void Integer_options_take_decimal_integers_only(string option, string value)
    {
        using var dir = new TempDir();
        Refused(CliHarness.Run("sample", option, value, "--out", dir.File("a.png")), 2, option);
        Assert.False(File.Exists(dir.File("a.png")));
    }

    [Fact]
    public void Messages_never_echo_a_100_KB_argument()
    {
        var huge = new string('x', 100_000);
        foreach (var args in new[] { new[] { "sample", "--batch", huge }, ["sample", "--shape", huge], ["verify", huge], ["config", "check", huge], ["sample", "--" + huge] })
        {
            var r = CliHarness.Run(args);
            var shown = string.Join(" ", args.Select(a => a[..Math.Min(12, a.Length)]));
            Assert.True(r.Code is 2 or 3, $"{shown}: {r.Code}");
            Assert.True(r.Err.Length < 1000, $"{shown}: stderr is {r.Err.Length} characters");
        }
    }

    [Fact]
    public void A_wrong_signature_model_is_invalid_input_exit_3()
    {
        using var dir = new TempDir();
        var r = CliHarness.Run("sample", "--model", Fixture("wrong_signature.pt"), "--shape", "3,4,4", "--batch", "1", "--device", "cpu", "--out", dir.File("a.png"));
        Refused(r, 3, "cannot be called as");
    }

    [Fact]
    public void A_shape_edit_with_the_same_element_count_fails_replay()
    {
        using var dir = new TempDir();
        var trace = dir.File("run.jsonl");
        Assert.Equal(0, CliHarness.Run("sample", "--batch", "16", "--out", dir.File("a.png"), "--trace", trace).Code);
        var lines = TraceBytes.Lines(File.ReadAllBytes(trace));
        Assert.Contains("\"shape\":[16,1,16,16]", lines[0]);
        lines[0] = lines[0].Replace("\"shape\":[16,1,16,16]", "\"shape\":[1,16,16,16]");
        File.WriteAllBytes(trace, TraceBytes.Rechain(lines));
        var r = CliHarness.Run("replay", trace, "--device", "cpu");
        Assert.True(r.Code == 3, r.ToString());
    }
}
