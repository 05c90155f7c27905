using System.Text;
using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Tests.Traces;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Hardening;

/// <summary>Issue 15's trace findings, one named test each: replay checks what verify checks, huge headers, footer bytes, diff.</summary>
public sealed class TraceHardeningTests
{
    private static byte[] Valid => CampaignTrace.Valid;

    private static VerifyOptions Seeded => CampaignTrace.Seeded;

    private static TraceReplay.Model Fake => CampaignTrace.Fake;

    private static IEnumerable<TraceInput> Lines(byte[] t) => TraceInput.Split(t);

    private static byte[] Edit(int line, Func<string, string> edit, bool rechain)
    {
        var lines = TraceBytes.Lines(Valid);
        lines[line] = edit(lines[line]);
        return rechain ? TraceBytes.Rechain(lines) : TraceBytes.Join(lines);
    }

    private static string Ulp(string line, string field)
    {
        var key = $"\"{field}\":{{\"value\":";
        var i = line.IndexOf(key, StringComparison.Ordinal) + key.Length;
        var end = line.IndexOf('}', i);
        var bitsAt = line.IndexOf("\"bits\":\"0x", i, StringComparison.Ordinal) + 10;
        var bits = Convert.ToUInt32(line.Substring(bitsAt, 8), 16) + 1;
        var f = BitConverter.UInt32BitsToSingle(bits);
        return line[..i] + DecimalText.Repr(f) + ",\"bits\":\"" + ExactScalar.Bits(f) + "\"" + line[end..];
    }

    public static TheoryData<string> ReplayCases => new()
    {
        "footer complete false", "footer wrong step count", "c_skip off by an ulp", "corrupt inline tensor",
        "garbage after the footer", "broken chain", "footer with a carriage return", "a line after the footer",
    };

    public static byte[] ReplayCase(string name)
    {
        var last = TraceBytes.Lines(Valid).Count - 1;
        return name switch
        {
            "footer complete false" => Edit(last, l => l.Replace("\"complete\":true", "\"complete\":false"), false),
            "footer wrong step count" => Edit(last, l => l.Replace("\"steps\":4", "\"steps\":3"), false),
            "c_skip off by an ulp" => Edit(2, l => Ulp(l, "c_skip"), true),
            "corrupt inline tensor" => Edit(2, l => l.Replace("\"tensors\":{\"sample\":\"", "\"tensors\":{\"sample\":\"AAAA").Remove(l.IndexOf("\"tensors\":{\"sample\":\"", StringComparison.Ordinal) + 26, 4), true),
            "garbage after the footer" => [.. Valid, .. "garbage"u8],
            "broken chain" => Edit(3, l => l.Replace("\"prev\":\"", "\"prev\":\"0").Remove(l.IndexOf("\"prev\":\"", StringComparison.Ordinal) + 8 + 64, 1), false),
            "footer with a carriage return" => Edit(last, l => l + "\r", false),
            "a line after the footer" => [.. Valid, .. Encoding.UTF8.GetBytes(TraceBytes.Lines(Valid)[last] + "\n")],
            _ => throw new ArgumentException(name),
        };
    }

    [Fact]
    public void The_unmutated_trace_verifies_and_replays()
    {
        Assert.True(TraceVerifier.Verify(Lines(Valid), Seeded).Ok);
        var r = TraceReplay.Replay(Lines(Valid), Fake, Seeded);
        Assert.True(r.Ok, r.ToString());
    }

    [Theory]
    [MemberData(nameof(ReplayCases))]
    public void Replay_rejects_what_verify_rejects(string name)
    {
        var t = ReplayCase(name);
        Assert.NotEqual(Valid, t);
        var v = TraceVerifier.Verify(Lines(t), Seeded);
        Assert.False(v.Ok, name);
        var r = TraceReplay.Replay(Lines(t), Fake, Seeded);
        Assert.False(r.Ok, $"{name}: replay passed a trace verify rejects ({v})");
    }

    [Theory]
    [InlineData("\"type\":\"footer\"", "\"type\": \"footer\"")]
    [InlineData("\"steps\":4", "\"\\u0073teps\":4")]
    [InlineData("\"complete\":true}", "\"complete\":true }")]
    public void Every_byte_of_the_footer_is_sealed(string from, string to)
    {
        var last = TraceBytes.Lines(Valid).Count - 1;
        var t = Edit(last, l => l.Replace(from, to), false);
        var f = TraceBytes.Failure(TraceVerifier.Verify(Lines(t)));
        Assert.Equal((last + 1, "footer"), (f.Line, f.Field));
        // Key order too: the same fields, reordered.
        var reordered = Edit(last, l => "{" + l[1..^1].Split(',').Reverse().Aggregate((a, b) => a + "," + b) + "}", false);
        Assert.False(TraceVerifier.Verify(Lines(reordered)).Ok);
    }

    [Fact]
    public void A_header_claiming_a_huge_shape_is_refused_before_allocating()
    {
        // With inline tensors: the file cannot hold [1,1,16384,16384] tensors in 256 MiB lines.
        var t = Edit(0, l => l.Replace("\"shape\":[1,1,2,3]", "\"shape\":[1,1,16384,16384]"), true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var f = TraceBytes.Failure(TraceVerifier.Verify(Lines(t), Seeded));
        Assert.Equal((1, "shape"), (f.Line, f.Field));
        Assert.True(TraceReplay.Replay(Lines(t), Fake, Seeded).Divergence.Exists(d => d.Field == "shape"));
        // Hash only (a 4.8 KB trace): more elements than the reader's limit, refused at the header.
        var hashOnly = HashOnly(Shape.Of(1, 1, 16384, 16384));
        Assert.True(hashOnly.Length < 5000);
        var g = TraceBytes.Failure(TraceVerifier.Verify(Lines(hashOnly), new VerifyOptions(_ => Some<Cm.Pure.Noise.INoise>(Cm.Pure.Noise.Torch.TorchNoise.FromSeed(0)))));
        Assert.Equal((1, "shape"), (g.Line, g.Field));
        Assert.Contains("CM_MAX_ELEMENTS", g.Found);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "allocated more than 16 MiB");
        // Inline tensors shorter than the shape are refused before the noise of that shape is drawn.
        var small = Edit(0, l => l.Replace("\"shape\":[1,1,2,3]", "\"shape\":[1,1,1024,1024]"), true);
        before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal("tensors.sample", TraceBytes.Failure(TraceVerifier.Verify(Lines(small), Seeded)).Field);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2 << 20, "drew noise of the claimed shape");
    }

    private static byte[] HashOnly(Shape shape)
    {
        var c = ValidConfig.Default;
        var header = new RunHeader(c.Value, TimestepSpec.OfSteps(2), new NoiseSpec(NoiseKind.Torch, 0), shape, "float32", "cpu", None, "analytic:glyphs", "cm test");
        var h = TraceLines.Header(header, false, TraceFormat.GenesisPrev);
        var s = Schedule.Create(c, TimestepSpec.OfSteps(2)).Match(x => x, e => throw new Exception(e.Message));
        var z = new string('a', 64);
        var step = TraceLines.Step(Cm.Pure.Sampling.StepScalars.At(c, s, 0), null, new StepHashes(z, z, Some(z), z), null, TensorHash.OfBytes(h));
        return [.. h, (byte)'\n', .. step, (byte)'\n'];
    }

    [Fact]
    public void Diff_never_calls_unreadable_inputs_equal_and_treats_repeated_keys_the_same_both_ways()
    {
        var missing = new[] { (TraceInput)new TraceInput.Unreadable(1, "file", "a readable trace file", "no such file") };
        Assert.True(TraceDiff.First(missing, missing).IsSome);
        var lines = TraceBytes.Lines(Valid);
        lines[1] = lines[1].Replace("{\"type\":\"step\",", "{\"type\":\"step\",\"index\":0,");
        var dup = TraceBytes.Join(lines);
        var ab = TraceDiff.First(Lines(Valid), Lines(dup));
        var ba = TraceDiff.First(Lines(dup), Lines(Valid));
        Assert.True(ab.IsSome && ba.IsSome);
        Assert.Equal(ab.Map(d => d.Line), ba.Map(d => d.Line));
        Assert.Equal((2, "index"), TraceBytes.Failure(TraceVerifier.Verify(Lines(dup))) is var f ? (f.Line, f.Field) : default);
        Assert.Contains("twice", TraceBytes.Failure(TraceVerifier.Verify(Lines(dup))).Found);
    }
}
