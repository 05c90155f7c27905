using Cm.Pure.Images;
using Cm.Runtime.Images;
using Cm.Cli.Commands;
using Cm.Cli.Parsing;
using Cm.Cli.Rendering;
using Cm.Cli.Sampling;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>Issue 13's pure pieces: progress words, the progress rule, output names, PNG text chunks, value checks.</summary>
public sealed class FirstHourUnitTests
{
    [Fact]
    public void Progress_line_has_step_elapsed_rate_and_eta()
    {
        Assert.Equal("cm: step 3/40, 1.5 s elapsed, 2.00 steps/s, ETA 18.5 s", ProgressText.Line(3, 40, TimeSpan.FromSeconds(1.5)));
        Assert.Equal("cm: step 1/4, 2.0 s elapsed, 2.0 s/step, ETA 6.0 s", ProgressText.Line(1, 4, TimeSpan.FromSeconds(2)));
        Assert.Equal("cm: step 0/4, 0.0 s elapsed", ProgressText.Line(0, 4, TimeSpan.Zero));
        Assert.Equal("2 min 05 s", ProgressText.Seconds(125));
    }

    [Theory]
    [InlineData(ProgressMode.Auto, false, true, ProgressMode.Bar)]
    [InlineData(ProgressMode.Auto, false, false, ProgressMode.None)]
    [InlineData(ProgressMode.Plain, false, false, ProgressMode.Plain)]
    [InlineData(ProgressMode.Plain, true, true, ProgressMode.None)]
    [InlineData(ProgressMode.Bar, false, false, ProgressMode.Bar)]
    [InlineData(ProgressMode.None, false, true, ProgressMode.None)]
    public void One_rule_for_the_bar_stderr_is_a_terminal(ProgressMode asked, bool quiet, bool stderrIsTerminal, ProgressMode shown) =>
        Assert.Equal(shown, ProgressModes.Resolve(asked, quiet, stderrIsTerminal));

    [Fact]
    public void Long_schedules_are_abbreviated_in_the_summary()
    {
        Assert.Equal("22,0", SampleSummary.Timesteps([22, 0]));
        Assert.Equal("5,4,3,2,1,0", SampleSummary.Timesteps([5, 4, 3, 2, 1, 0]));
        Assert.Equal("39,38,37,…,0", SampleSummary.Timesteps([.. Enumerable.Range(0, 40).Reverse()]));
    }

    [Fact]
    public void Per_sample_names_are_zero_padded_to_the_batch()
    {
        Assert.Equal(new[] { "a-000.png", "a-001.png" }, SampleOutputs.PerSampleNames("a", ".png", 2).ToArray());
        Assert.Equal("a-1234.npy", SampleOutputs.PerSampleNames("a", ".npy", 1235).Last());
    }

    [Fact]
    public void Png_text_chunks_round_trip_and_keep_the_image_valid()
    {
        var image = new RgbImage(2, 1, [255, 0, 0, 0, 255, 0]);
        var plain = PngEncoding.Encode(image);
        var tagged = PngText.Insert(plain, [("cm:seed", "7"), ("cm:config", "{\n  \"rho\": 7.0\n}")]);
        Assert.Equal([("cm:seed", "7"), ("cm:config", "{\n  \"rho\": 7.0\n}")], PngText.Read(tagged));
        Assert.Equal(PngCheck.Size(plain), PngCheck.Size(tagged));
        Assert.Equal(plain[..33], tagged[..33]);
        Assert.Equal(plain[33..], tagged[^(plain.Length - 33)..]);
        Assert.Empty(PngText.Read(plain));
        // The CRC of PNG chunks: the IEND chunk's CRC is the well-known AE 42 60 82.
        Assert.Equal(0xAE426082u, PngText.Crc32("IEND"u8));
    }

    [Fact]
    public void Value_checks_name_option_value_and_allowed_values()
    {
        Assert.Equal("--format yaml: allowed values are png, npy", OptionValues.FindProblem(["--format", "yaml"], typeof(SampleSettings)));
        Assert.Equal("--format yaml: allowed values are png, npy", OptionValues.FindProblem(["--format=yaml"], typeof(SampleSettings)));
        Assert.Null(OptionValues.FindProblem(["--format", "NPY", "--steps", "4", "--seed", "18446744073709551615"], typeof(SampleSettings)));
        Assert.StartsWith("--steps four: expected a whole number", OptionValues.FindProblem(["-n", "four"], typeof(SampleSettings))?.Replace("-n four", "--steps four"));
        Assert.Null(OptionValues.FindProblem(["--model", "--format"], typeof(SampleSettings)));
        Assert.Equal(["--out=-", "--batch", "2"], DashValues.Join(["--out", "-", "--batch", "2"], new HashSet<string> { "--out", "--batch" }));
        Assert.Equal(["--", "--out", "-"], DashValues.Join(["--", "--out", "-"], new HashSet<string> { "--out" }));
    }
}
