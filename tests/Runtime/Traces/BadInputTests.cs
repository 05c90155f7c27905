using System.Text;
using Cm.Pure.Traces;
using Cm.Runtime.Traces;
using Xunit;

namespace Cm.Tests.Traces;

/// <summary>Damaged and hostile traces give a precise failure, never an exception.</summary>
public sealed class BadInputTests
{
    private static byte[] Valid => GoldenTraces.Trace(GoldenTraces.Ids.First(i => i.Contains("1x1x2x3") && i.Contains("n4|clip=True|rng=shared")));

    private static TraceFailure Fail(byte[] trace, int maxLineBytes = TraceFormat.DefaultMaxLineBytes) =>
        TraceBytes.Failure(TraceBytes.Verify(trace, null, maxLineBytes));

    [Fact]
    public void Truncated_mid_line_is_reported_as_cut()
    {
        var t = Valid;
        var f = Fail(t[..(t.Length / 2)]);
        Assert.Equal("line", f.Field);
        Assert.Contains("cut", f.Found);
    }

    [Fact]
    public void Truncated_at_a_line_end_is_incomplete()
    {
        var lines = TraceBytes.Lines(Valid);
        var f = Fail(TraceBytes.Join(lines.Take(3)));
        Assert.Equal(("footer", 4), (f.Field, f.Line));
        Assert.Contains("incomplete", f.Found);
    }

    [Fact]
    public void Reordered_steps_break_the_chain()
    {
        var lines = TraceBytes.Lines(Valid);
        (lines[2], lines[3]) = (lines[3], lines[2]);
        var f = Fail(TraceBytes.Join(lines));
        Assert.Equal(("prev", 3, 2), (f.Field, f.Line, f.Step.IfNone(-1)));
    }

    [Fact]
    public void Reordered_and_rechained_steps_are_out_of_order()
    {
        var lines = TraceBytes.Lines(Valid);
        (lines[2], lines[3]) = (lines[3], lines[2]);
        var f = Fail(TraceBytes.Rechain(lines));
        Assert.Equal(("index", 3), (f.Field, f.Line));
    }

    [Fact]
    public void A_duplicated_step_is_caught()
    {
        var lines = TraceBytes.Lines(Valid);
        lines.Insert(2, lines[1]);
        Assert.Equal("prev", Fail(TraceBytes.Join(lines)).Field);
        Assert.Equal("index", Fail(TraceBytes.Rechain(lines)).Field);
    }

    [Fact]
    public void A_second_header_or_a_line_after_the_footer_is_caught()
    {
        var lines = TraceBytes.Lines(Valid);
        Assert.Equal("type", Fail(TraceBytes.Rechain(lines.Take(1).Concat(lines))).Field);
        Assert.Equal(("line", lines.Count + 1), (Fail(TraceBytes.Join(lines.Append(lines[^1]))).Field, Fail(TraceBytes.Join(lines.Append(lines[^1]))).Line));
    }

    [Theory]
    [InlineData("\"version\":1", "\"version\":2", "version")]
    [InlineData("\"hash\":\"sha256\"", "\"hash\":\"blake3\"", "hash")]
    [InlineData("\"format\":\"cm-trace\"", "\"format\":\"other\"", "format")]
    [InlineData("\"dtype\":\"float32\"", "\"dtype\":\"float64\"", "dtype")]
    [InlineData("\"sigma_min\":0.002", "\"sigma_min\":-1.0", "config")]
    [InlineData("\"sigma_min\":0.002", "\"sigma_min\":1e999", "config.sigma_min")]
    [InlineData("\"kind\":\"torch\"", "\"kind\":\"mt19937\"", "noise.kind")]
    [InlineData("\"device\":\"cpu\"", "\"device\":\"cpu\",\"extra\":1", "extra")]
    [InlineData("\"num_inference_steps\":4", "\"num_inference_steps\":41", "schedule")]
    [InlineData("\"class_labels\":null", "\"class_labels\":[1,2]", "class_labels")]
    public void Header_problems_are_named(string from, string to, string field)
    {
        var lines = TraceBytes.Lines(Valid);
        Assert.Contains(from, lines[0]);
        lines[0] = lines[0].Replace(from, to);
        var f = Fail(TraceBytes.Rechain(lines));
        Assert.Equal((1, field), (f.Line, f.Field));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void Non_finite_scalars_are_rejected(string spelling)
    {
        var lines = TraceBytes.Lines(Valid);
        var bits = spelling == "NaN" ? "0x7fc00000" : spelling == "Infinity" ? "0x7f800000" : "0xff800000";
        var i = lines[1].IndexOf("\"sigma\":{", StringComparison.Ordinal);
        var j = lines[1].IndexOf('}', i);
        lines[1] = lines[1][..i] + $"\"sigma\":{{\"value\":\"{spelling}\",\"bits\":\"{bits}\"" + lines[1][j..];
        var f = Fail(TraceBytes.Rechain(lines));
        Assert.Equal(("sigma", 0), (f.Field, f.Step.IfNone(-1)));
        Assert.Contains("finite", f.Expected);
    }

    [Fact]
    public void A_decimal_that_disagrees_with_its_bits_is_rejected()
    {
        var lines = TraceBytes.Lines(Valid);
        lines[1] = lines[1].Replace("\"sigma\":{\"value\":80.0,", "\"sigma\":{\"value\":80.5,");
        var f = Fail(TraceBytes.Rechain(lines));
        Assert.Equal("sigma.value", f.Field);
    }

    [Fact]
    public void An_over_long_line_is_rejected_without_reading_it()
    {
        var f = Fail(Valid, maxLineBytes: 1000);
        Assert.Equal(("line", 2), (f.Field, f.Line)); // the header fits; the first step (inline tensors) does not
        Assert.Contains("1000", f.Expected);
    }

    [Fact]
    public void The_file_reader_rejects_an_over_long_line_too()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Valid);
            var lines = TraceReader.Lines(path, maxLineBytes: 1000).ToList();
            Assert.Equal(2, lines.Count);
            var u = Assert.IsType<TraceInput.Unreadable>(lines[1]);
            Assert.Equal(2, u.Number);
            Assert.Equal(3, TraceVerifier.Verify(TraceReader.Lines(path, 1000)).ExitCode);
            Assert.True(TraceFile.Verify(path).Ok);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("not json\n")]
    [InlineData("[1,2,3]\n")]
    [InlineData("{\"type\":\"step\"}\n")]
    [InlineData("{\"type\":\"header\",\"format\":\"cm-trace\",\"version\":1}\n")]
    [InlineData("{\"type\":\"header\",\"format\":\"cm-trace\",\"version\":\"1\",\"hash\":\"sha256\"}\n")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":1}}}}}}}}}\n")]
    public void Garbage_gives_a_failure_not_an_exception(string text)
    {
        var r = TraceBytes.Verify(Encoding.UTF8.GetBytes(text));
        Assert.False(r.Ok);
        Assert.Equal(3, r.ExitCode);
    }

    [Fact]
    public void Invalid_utf8_gives_a_failure()
    {
        var t = Valid.ToArray();
        var i = Array.IndexOf(t, (byte)'c');
        t[i] = 0xff;
        Assert.False(TraceBytes.Verify(t).Ok);
    }

    [Fact]
    public void A_missing_file_is_a_failure_value()
    {
        var r = TraceFile.Verify(Path.Combine(Path.GetTempPath(), "no-such-trace-" + Guid.NewGuid() + ".jsonl"));
        var f = TraceBytes.Failure(r);
        Assert.Equal("file", f.Field);
    }
}
