using System.Text;
using Cm.Pure.Traces;
using LanguageExt;
using Xunit;

namespace Cm.Tests.Traces;

/// <summary>
/// The Python path without Python: every float32 step-loop golden, laid out as the diffusers recorder
/// writes it, verifies; Cm's own writer produces the same bytes; and edits are caught even after the
/// chain is rebuilt around them.
/// </summary>
public sealed class GoldenTraceTests
{
    public static TheoryData<string> Cases => GoldenTraces.Cases;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Recorded_diffusers_loop_verifies_and_every_step_is_recomputed(string id)
    {
        var report = TraceBytes.Verify(GoldenTraces.Trace(id));
        Assert.True(report.Ok, report.ToString());
        Assert.True(report.StepsRecomputed);
        Assert.True(report.Complete);
        Assert.Equal(GoldenTraces.Case(id)["steps"]!.AsArray().Count, report.Steps);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cm_writer_and_python_recorder_write_the_same_bytes(string id)
    {
        var (header, steps, final) = GoldenTraces.Records(GoldenTraces.Case(id));
        var lines = new List<byte[]> { TraceLines.Header(header, true, TraceFormat.GenesisPrev) };
        foreach (var s in steps) lines.Add(TraceLines.Step(s, true, TensorHash.OfBytes(lines[^1])));
        lines.Add(TraceLines.Footer(steps.Count, final, true, TensorHash.OfBytes(lines[^1])));
        var cm = lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
        var python = GoldenTraces.Trace(id);
        Assert.Equal(Encoding.UTF8.GetString(python).Split('\n')[0], Encoding.UTF8.GetString(cm).Split('\n')[0]);
        Assert.Equal(python, cm);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void With_the_seeded_generator_the_initial_sample_and_every_draw_are_regenerated(string id)
    {
        var c = GoldenTraces.Case(id);
        var report = TraceBytes.Verify(GoldenTraces.Trace(id), new VerifyOptions(GoldenTraces.RecordedGenerator(c)));
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(GoldenTraces.Noise(c).Kind == NoiseKind.Torch, report.NoiseRegenerated);
    }

    [Fact]
    public void A_generator_that_draws_other_values_is_caught_at_the_initial_sample()
    {
        var id = GoldenTraces.Ids.First(i => i.Contains("n4|clip=True|rng=shared"));
        var other = GoldenTraces.Case(GoldenTraces.Ids.First(i => i.Contains("n4|clip=True|rng=separate")));
        var c = GoldenTraces.Case(id);
        // Same seed as the header names, but the draws of another case: the very first comparison fails.
        var wrong = new VerifyOptions(spec => GoldenTraces.RecordedGenerator(c)(spec).Map(_ =>
            (Cm.Pure.Noise.INoise)Cm.Pure.Noise.RecordedNoise.Of(Golden.Encoded.Parse(other["initial_randn"]).F32().Select(x => -x).ToArray())));
        var f = Failure(TraceBytes.Verify(GoldenTraces.Trace(id), wrong));
        Assert.Equal((2, 0, "hashes.sample"), (f.Line, f.Step.IfNone(-1), f.Field));
    }

    public static TheoryData<string, string, string> Edits => new()
    {
        { "\"c_skip\":{\"value\":", "c_skip", "scalar bits" },
        { "\"sigma_next\":{\"value\":", "sigma_next", "scalar bits" },
        { "\"timestep\":{\"value\":", "timestep", "scalar bits" },
        { "\"noise_scale\":{\"value\":", "noise_scale", "scalar bits" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void A_rechained_scalar_edit_is_caught_by_recomputation(string marker, string field, string _)
    {
        var id = GoldenTraces.Ids.First(i => i.Contains("2x3x4x4") && i.Contains("n4|clip=True|rng=separate"));
        var lines = TraceBytes.Lines(GoldenTraces.Trace(id));
        // Step 2 (line 4): bump the last hex digit of the bits and write the matching decimal.
        var line = lines[3];
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        var bitsAt = line.IndexOf("\"bits\":\"", at, StringComparison.Ordinal) + 8;
        var end = line.IndexOf('"', bitsAt);
        var isDouble = end - bitsAt == 18;
        var bits = Convert.ToUInt64(line[(bitsAt + 2)..end], 16) ^ 1;
        var value = isDouble ? DecimalText.Repr(BitConverter.UInt64BitsToDouble(bits)) : DecimalText.Repr(BitConverter.UInt32BitsToSingle((uint)bits));
        var valueAt = at + marker.Length;
        var edited = line[..valueAt] + value + ",\"bits\":\"0x" + bits.ToString(isDouble ? "x16" : "x8") + line[end..];
        lines[3] = edited;
        var f = Failure(TraceBytes.Verify(TraceBytes.Rechain(lines)));
        Assert.Equal((4, 2, field), (f.Line, f.Step.IfNone(-1), f.Field));
    }

    [Fact]
    public void A_rechained_tensor_edit_with_matching_hashes_is_caught_element_by_element()
    {
        var id = GoldenTraces.Ids.First(i => i.Contains("1x1x2x3") && i.Contains("n4|clip=False|rng=separate"));
        var c = GoldenTraces.Case(id);
        // Rebuild the trace from records whose step-1 next sample (and step-2 input) is off by one ulp in element 3.
        var (header, steps, final) = GoldenTraces.Records(c);
        var bad = steps.ToList();
        var next = bad[1].NextSample.ToArray();
        next[3] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(next[3]) + 1);
        var t = Cm.Pure.Tensors.Tensor<float>.From(bad[1].NextSample.Shape, next);
        bad[1] = bad[1] with { NextSample = t };
        bad[2] = bad[2] with { Sample = t };
        var lines = new List<byte[]> { TraceLines.Header(header, true, TraceFormat.GenesisPrev) };
        foreach (var s in bad) lines.Add(TraceLines.Step(s, true, TensorHash.OfBytes(lines[^1])));
        lines.Add(TraceLines.Footer(bad.Count, final, true, TensorHash.OfBytes(lines[^1])));
        var f = Failure(TraceBytes.Verify(lines.SelectMany(l => l.Append((byte)'\n')).ToArray()));
        Assert.Equal((3, 1, "tensors.next_sample[3]"), (f.Line, f.Step.IfNone(-1), f.Field));
        Assert.Contains("recomputed", f.Expected);
    }

    [Fact]
    public void A_rechained_edit_of_the_final_hash_is_caught_by_the_footer()
    {
        var id = GoldenTraces.Ids.First();
        var lines = TraceBytes.Lines(GoldenTraces.Trace(id));
        var footer = lines[^1];
        var i = footer.IndexOf("\"final_sample\":\"", StringComparison.Ordinal) + 16;
        lines[^1] = footer[..i] + (footer[i] == '0' ? '1' : '0') + footer[(i + 1)..];
        var f = Failure(TraceBytes.Verify(TraceBytes.Rechain(lines)));
        Assert.Equal("final_sample", f.Field);
    }

    private static TraceFailure Failure(VerifyReport r) => TraceBytes.Failure(r);
}
