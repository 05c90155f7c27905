using Xunit;

namespace Cm.Tests.Cli;

/// <summary><c>cm sample --trace</c>, <c>cm verify</c>, <c>cm replay</c> and <c>cm diff</c> end to end.</summary>
public sealed class TraceCommandTests
{
    private static string Sample(TempDir dir, string name, bool tensors, params string[] extra)
    {
        var trace = dir.File(name);
        string[] args = ["sample", "--out", dir.File(name + ".png"), "--batch", "2", "--trace", trace, .. extra];
        var r = CliHarness.Run(tensors ? [.. args, "--trace-tensors"] : args);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains(trace, r.Out);
        return trace;
    }

    [Theory]
    [InlineData(true, "torch")]
    [InlineData(false, "torch")]
    [InlineData(true, "philox")]
    public void A_trace_written_by_sample_verifies(bool tensors, string noise)
    {
        using var dir = new TempDir();
        var trace = Sample(dir, "run.jsonl", tensors, "--noise", noise, "--steps", "3");
        var r = CliHarness.Run("verify", trace);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("noise regenerated from the seed", r.Out);
        if (tensors) Assert.Contains("every step recomputed bit for bit", r.Out);
    }

    [Fact]
    public void An_edited_trace_fails_at_the_edited_step_with_exit_3()
    {
        using var dir = new TempDir();
        var trace = Sample(dir, "run.jsonl", true, "--steps", "3");
        var lines = File.ReadAllLines(trace);
        // Line 1 is the header, so step 1 is line 3; change one digit of its sigma.
        var i = lines[2].IndexOf("\"sigma\":{\"value\":", StringComparison.Ordinal) + "\"sigma\":{\"value\":".Length;
        var digit = lines[2][i] == '9' ? '8' : (char)(lines[2][i] + 1);
        lines[2] = lines[2][..i] + digit + lines[2][(i + 1)..];
        var edited = dir.File("edited.jsonl");
        File.WriteAllLines(edited, lines);
        var r = CliHarness.Run("verify", edited);
        Assert.Equal(3, r.Code);
        Assert.Contains("line 3 (step 1)", r.Err);

        var d = CliHarness.Run("diff", trace, edited);
        Assert.Equal(3, d.Code);
        Assert.Contains("line 3 (step 1): sigma", d.Out);
    }

    [Fact]
    public void Replay_reproduces_an_analytic_run_and_diff_of_identical_runs_is_empty()
    {
        using var dir = new TempDir();
        var a = Sample(dir, "a.jsonl", true, "--seed", "3");
        var b = Sample(dir, "b.jsonl", true, "--seed", "3");
        var r = CliHarness.Run("replay", a);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("REPRODUCED", r.Out);
        Assert.Equal(0, CliHarness.Run("diff", a, b).Code);
        var c = Sample(dir, "c.jsonl", true, "--seed", "4");
        var d = CliHarness.Run("diff", a, c);
        Assert.Equal(3, d.Code);
    }

    [Fact]
    public void Replay_with_another_model_is_refused()
    {
        using var dir = new TempDir();
        var a = Sample(dir, "a.jsonl", true);
        var r = CliHarness.Run("replay", a, "--model", "analytic:glyphs-denoiser");
        Assert.Equal(3, r.Code);
        Assert.Contains("was made with model", r.Err);
    }

    [Fact]
    public void Verify_of_a_missing_or_truncated_file_is_a_precise_error()
    {
        using var dir = new TempDir();
        Assert.Equal(3, CliHarness.Run("verify", dir.File("nope.jsonl")).Code);
        var trace = Sample(dir, "run.jsonl", false);
        var lines = File.ReadAllLines(trace);
        File.WriteAllLines(dir.File("cut.jsonl"), lines[..^1]);
        var r = CliHarness.Run("verify", dir.File("cut.jsonl"));
        Assert.Equal(3, r.Code);
        Assert.Contains("incomplete", r.Err + r.Out, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Diff_can_ignore_a_header_field_and_compare_the_steps()
    {
        using var dir = new TempDir();
        var a = Sample(dir, "a.jsonl", true, "--seed", "3");
        var lines = File.ReadAllLines(a);
        lines[0] = lines[0].Replace("\"device\":\"cpu\"", "\"device\":\"cuda:0\"", StringComparison.Ordinal);
        File.WriteAllLines(dir.File("b.jsonl"), lines);
        var plain = CliHarness.Run("diff", a, dir.File("b.jsonl"));
        Assert.Equal(3, plain.Code);
        Assert.Contains("line 1: device", plain.Out);
        var ignoring = CliHarness.Run("diff", a, dir.File("b.jsonl"), "--ignore", "device");
        Assert.True(ignoring.Code == 0, ignoring.ToString());
    }

    [Fact]
    public void A_torchscript_run_replays_with_its_file_and_not_without_it()
    {
        using var dir = new TempDir();
        var model = Cm.Tests.Runtime.RuntimeFixtures.Model("tiny_unet.pt");
        var trace = Sample(dir, "ts.jsonl", true, "--model", model, "--shape", "3,5,5", "--steps", "2");
        Assert.Equal(0, CliHarness.Run("verify", trace).Code);
        var withFile = CliHarness.Run("replay", trace, "--model", model);
        Assert.True(withFile.Code == 0, withFile.ToString());
        Assert.Contains("torchscript:sha256:", withFile.Out);
        var without = CliHarness.Run("replay", trace);
        Assert.Equal(3, without.Code);
        Assert.Contains("--model", without.Err);
    }
}
