using System.Globalization;
using Cm.Pure.Traces;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Traces;

/// <summary>diff names the first diverging field; replay re-runs a traced loop with a model; decimals match Python.</summary>
public sealed class DiffReplayTests
{
    private static IEnumerable<TraceInput> Lines(byte[] t) => TraceInput.Split(t);

    [Fact]
    public void Identical_traces_do_not_diverge()
    {
        var t = GoldenTraces.Trace(GoldenTraces.Ids.First());
        Assert.True(TraceDiff.First(Lines(t), Lines(t)).IsNone);
    }

    [Fact]
    public void Clip_on_and_off_first_diverge_in_the_config()
    {
        var on = GoldenTraces.Trace(GoldenTraces.Ids.First(i => i.Contains("1x1x2x3") && i.Contains("n4|clip=True|rng=separate")));
        var off = GoldenTraces.Trace(GoldenTraces.Ids.First(i => i.Contains("1x1x2x3") && i.Contains("n4|clip=False|rng=separate")));
        var d = TraceDiff.First(Lines(on), Lines(off)).Match(x => x, () => throw new Xunit.Sdk.XunitException("no divergence"));
        Assert.Equal((1, "config.clip_denoised", "true", "false"), (d.Line, d.Field, d.A, d.B));
    }

    [Fact]
    public void A_changed_element_is_named_by_hash_then_by_element()
    {
        var id = GoldenTraces.Ids.First(i => i.Contains("1x1x2x3") && i.Contains("n4|clip=False|rng=separate"));
        var (header, steps, final) = GoldenTraces.Records(GoldenTraces.Case(id));
        var a = Build(header, steps, final);
        var mo = steps[2].ModelOutput.ToArray();
        mo[4] = 0.25f;
        var changed = steps.ToList();
        changed[2] = changed[2] with { ModelOutput = Cm.Pure.Tensors.Tensor<float>.From(steps[2].ModelOutput.Shape, mo) };
        var d = TraceDiff.First(Lines(a), Lines(Build(header, changed, final))).Match(x => x, () => throw new Xunit.Sdk.XunitException("no divergence"));
        Assert.Equal((4, 2, "hashes.model_output"), (d.Line, d.Step.IfNone(-1), d.Field));
        var la = TraceBytes.Lines(a);
        var lb = TraceBytes.Lines(Build(header, changed, final));
        la[3] = la[3].Replace(Hash(steps[2]), Hash(changed[2]));
        d = TraceDiff.First(Lines(TraceBytes.Join(la)), Lines(TraceBytes.Join(lb))).Match(x => x, () => throw new Xunit.Sdk.XunitException("no divergence"));
        Assert.Equal("tensors.model_output[4]", d.Field);
        Assert.Contains("0x3e800000", d.B);
    }

    [Fact]
    public void A_shorter_trace_diverges_where_it_ends()
    {
        var t = GoldenTraces.Trace(GoldenTraces.Ids.First());
        var lines = TraceBytes.Lines(t);
        var d = TraceDiff.First(Lines(t), Lines(TraceBytes.Join(lines.Take(2)))).Match(x => x, () => throw new Xunit.Sdk.XunitException("no divergence"));
        Assert.Equal((3, "line", "end of trace"), (d.Line, d.Field, d.B));
    }

    public static TheoryData<string> Small => GoldenFiles.Rows(GoldenTraces.Ids.Where(i => i.Contains("1x1x2x3")));

    [Theory]
    [MemberData(nameof(Small))]
    public void Replay_with_the_fake_model_reproduces_the_recorded_run(string id)
    {
        // The golden fake model: f(f(tanh(s))·f(0.9)) + f(0.01·t); double tanh rounded matches torch on 1x1x2x3.
        var report = TraceReplay.Replay(Lines(GoldenTraces.Trace(id)), Fake(0.9f));
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(GoldenTraces.Case(id)["steps"]!.AsArray().Count, report.Steps);
    }

    [Fact]
    public void Replay_with_another_model_diverges_at_the_first_model_output()
    {
        var id = GoldenTraces.Ids.First(i => i.Contains("1x1x2x3") && i.Contains("n4|clip=True|rng=shared"));
        var report = TraceReplay.Replay(Lines(GoldenTraces.Trace(id)), Fake(0.8f));
        var f = report.Divergence.Match(x => x, () => throw new Xunit.Sdk.XunitException("no divergence"));
        Assert.Equal((2, 0), (f.Line, f.Step.IfNone(-1)));
        Assert.StartsWith("model_output[", f.Field);
        Assert.Equal(3, report.ExitCode);
    }

    [Fact]
    public void Decimals_are_spelt_as_python_repr_spells_them()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Traces", "python_repr.txt");
        var rows = File.ReadAllLines(path);
        Assert.True(rows.Length > 300);
        foreach (var row in rows)
        {
            var parts = row.Split(' ');
            var x = BitConverter.UInt64BitsToDouble(ulong.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.Equal(parts[1], DecimalText.Repr(x));
        }
    }

    private static TraceReplay.Model Fake(float scale) => (s, t) =>
        s.Select(x => (float)Math.Tanh(x) * scale + (float)(0.01 * t)).ToArray();

    private static string Hash(Cm.Pure.Traces.StepRecord r) => TensorHash.Of(r.ModelOutput.Data);

    private static byte[] Build(RunHeader header, IReadOnlyList<Cm.Pure.Traces.StepRecord> steps, Cm.Pure.Tensors.Tensor<float> final)
    {
        var lines = new List<byte[]> { TraceLines.Header(header, true, TraceFormat.GenesisPrev) };
        foreach (var s in steps) lines.Add(TraceLines.Step(s, true, TensorHash.OfBytes(lines[^1])));
        lines.Add(TraceLines.Footer(steps.Count, final, true, TensorHash.OfBytes(lines[^1])));
        return lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
    }
}

/// <summary>A trace written by Python's own json module (the worked example of docs/trace-format.md) verifies.</summary>
public sealed class PythonWrittenTraceTests
{
    [Fact]
    public void The_python_written_example_verifies_and_regenerates_its_noise()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Traces", "python_example.jsonl");
        var c = GoldenTraces.Case(GoldenTraces.Ids.First(i => i.Contains("1x1x2x3") && i.Contains("n2|clip=True|rng=shared")));
        var report = Cm.Runtime.Traces.TraceFile.Verify(path, GoldenTraces.RecordedGenerator(c));
        Assert.True(report.Ok, report.ToString());
        Assert.True(report.StepsRecomputed && report.NoiseRegenerated);
    }
}
