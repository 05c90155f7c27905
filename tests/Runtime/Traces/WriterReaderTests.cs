using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Traces;
using LanguageExt;
using Xunit;

namespace Cm.Tests.Traces;

/// <summary>The sink writes a sealed trace only on completion; a crash leaves a readable, incomplete prefix.</summary>
public sealed class WriterReaderTests
{
    private static readonly string Id = GoldenTraces.Ids.First(i => i.Contains("1x1x2x3") && i.Contains("n4|clip=True|rng=shared"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_completed_run_is_sealed_and_verifies(bool inline)
    {
        var (header, steps, final) = GoldenTraces.Records(GoldenTraces.Case(Id));
        var path = Path.Combine(Path.GetTempPath(), $"cm-trace-{Guid.NewGuid()}.jsonl");
        try
        {
            using (var w = TraceWriter.Create(path, inline).ThrowIfFail())
            {
                Assert.Equal(inline, w.InlineTensors);
                Assert.Equal(Cm.Runtime.Sampling.StepValues.HandedOver, w.Values);
                w.OnStart(header).ThrowIfFail();
                foreach (var s in steps) w.OnStep(s).ThrowIfFail();
                Assert.False(File.Exists(path));
                w.OnComplete(final).ThrowIfFail();
            }
            Assert.False(File.Exists(path + ".partial"));
            var report = TraceFile.Verify(path);
            Assert.True(report.Ok, report.ToString());
            Assert.Equal(inline, report.StepsRecomputed);
            if (inline) Assert.Equal(GoldenTraces.Trace(Id), File.ReadAllBytes(path));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_crash_leaves_a_partial_trace_that_verifies_as_incomplete()
    {
        var (header, steps, _) = GoldenTraces.Records(GoldenTraces.Case(Id));
        var path = Path.Combine(Path.GetTempPath(), $"cm-trace-{Guid.NewGuid()}.jsonl");
        var partial = "";
        try
        {
            using (var w = TraceWriter.Create(path, true).ThrowIfFail())
            {
                partial = w.PartialPath;
                Assert.StartsWith(path + ".cm-", partial);
                Assert.EndsWith(".partial", partial);
                w.OnStart(header).ThrowIfFail();
                w.OnStep(steps[0]).ThrowIfFail();
                w.OnStep(steps[1]).ThrowIfFail();
            }
            Assert.False(File.Exists(path));
            var f = TraceBytes.Failure(TraceFile.Verify(partial));
            Assert.Equal(("footer", 4), (f.Field, f.Line));
            Assert.Contains("after 2 of 4 steps", f.Found);
        }
        finally { File.Delete(partial); }
    }

    [Fact]
    public void Protocol_errors_and_oversized_lines_are_values()
    {
        var (header, steps, final) = GoldenTraces.Records(GoldenTraces.Case(Id));
        var path = Path.Combine(Path.GetTempPath(), $"cm-trace-{Guid.NewGuid()}.jsonl");
        try
        {
            using var w = TraceWriter.Create(path, true, maxLineBytes: 1000).ThrowIfFail();
            Assert.True(w.OnStep(steps[0]).IsFail);
            Assert.True(w.OnComplete(final).IsFail);
            Assert.True(w.OnStart(header).IsSucc);
            Assert.True(w.OnStart(header).IsFail);
            // A step line is written on the writer's worker: its failure is reported by the next call.
            Assert.True(w.OnStep(steps[0]).IsSucc);
            var big = w.OnStep(steps[1]);
            Assert.True(big.IsFail);
            Assert.Contains("limit", big.Match(_ => "", e => e.Message));
            Assert.Contains("step 0", big.Match(_ => "", e => e.Message));
            Assert.True(w.OnComplete(final).IsFail);
        }
        finally { File.Delete(path + ".partial"); }
        Assert.True(TraceWriter.Create(Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "t.jsonl"), false).IsFail);
    }

    [Fact]
    public void Lent_lines_hold_the_same_bytes_as_owned_lines_while_they_are_current()
    {
        // Lines of growing and shrinking length (a long line first, then shorter ones) over more than one read chunk.
        var bytes = GoldenTraces.Trace(GoldenTraces.Ids.First(i => i.Contains("2x3x4x4") && i.Contains("n40")));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [.. bytes, .. bytes.AsSpan(0, bytes.Length - 3)]);
            var owned = TraceReader.Lines(path).Cast<TraceInput.Line>().Select(l => (l.Number, Convert.ToHexString(l.Bytes.Span), l.Terminated)).ToList();
            var lent = new List<(int, string, bool)>();
            foreach (var input in TraceReader.Lend(path))
            {
                var l = Assert.IsType<TraceInput.Line>(input);
                lent.Add((l.Number, Convert.ToHexString(l.Bytes.Span), l.Terminated)); // copied while current, as the contract says
            }
            Assert.True(owned.Count > 3);
            Assert.Equal(owned, lent);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_reader_streams_the_same_lines_as_the_in_memory_split()
    {
        var bytes = GoldenTraces.Trace(GoldenTraces.Ids.First(i => i.Contains("2x3x4x4") && i.Contains("n40")));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, bytes[..^3]);
            var fromFile = TraceReader.Lines(path).Cast<TraceInput.Line>().ToList();
            var inMemory = TraceInput.Split(bytes[..^3]).Cast<TraceInput.Line>().ToList();
            Assert.Equal(inMemory.Count, fromFile.Count);
            Assert.All(inMemory.Zip(fromFile), p => Assert.Equal((Convert.ToHexString(p.Item1.Bytes.Span), p.Item1.Terminated, p.Item1.Number), (Convert.ToHexString(p.Item2.Bytes.Span), p.Item2.Terminated, p.Item2.Number)));
            Assert.False(fromFile[^1].Terminated);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_pure_scheduler_run_fed_to_the_sink_verifies_with_its_generator()
    {
        // A loop in miniature, as the lead's pipeline will run it: RecordedNoise stands in for a seeded generator.
        var shape = Shape.Of(2, 1, 2, 2);
        var rnd = new Random(5);
        float[] Draw() => Enumerable.Range(0, shape.Count).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray();
        var draws = Enumerable.Range(0, 5).Select(_ => Draw()).ToArray();
        INoise Fresh() => RecordedNoise.Of(draws);
        var spec = new NoiseSpec(NoiseKind.Philox, 1234);
        var config = Cm.Pure.Config.ValidConfig.Default;
        var header = new RunHeader(config.Value, Cm.Pure.Schedules.TimestepSpec.OfSteps(4), spec, shape, "float32", "cpu",
            LanguageExt.Prelude.Some(System.Collections.Immutable.ImmutableArray.Create(3, 7)), "analytic:half", "0.1.0");
        var (randn, noise) = Fresh().Draw32(shape).Ok();
        var sample = Tensor<float>.Create(shape, randn, (d, r) => { for (var k = 0; k < d.Length; k++) d[k] = r[k] * 80f; });
        var state = Scheduler.Create(config, Cm.Pure.Schedules.TimestepSpec.OfSteps(4), noise).ThrowIfFail();
        var path = Path.Combine(Path.GetTempPath(), $"cm-trace-{Guid.NewGuid()}.jsonl");
        try
        {
            using (var w = TraceWriter.Create(path, false).ThrowIfFail())
            {
                w.OnStart(header).ThrowIfFail();
                foreach (var t in state.Schedule.Timesteps)
                {
                    var scaled = Scheduler.ScaleModelInput(state, sample, t).ThrowIfFail();
                    var output = Tensor<float>.Create(shape, scaled.Scaled, (d, s) => { for (var k = 0; k < d.Length; k++) d[k] = s[k] * 0.5f; });
                    var position = scaled.Next.Noise.Describe();
                    var o = Scheduler.Step(scaled.Next, output, t, sample).ThrowIfFail();
                    w.OnStep(new StepRecord(o.Scalars, position, sample, output, o.Noise, o.Denoised, o.Sample)).ThrowIfFail();
                    state = o.Next;
                    sample = o.Sample;
                }
                w.OnComplete(sample).ThrowIfFail();
            }
            var withGenerator = TraceFile.Verify(path, s => s == spec ? LanguageExt.Prelude.Some(Fresh()) : LanguageExt.Prelude.None);
            Assert.True(withGenerator.Ok, withGenerator.ToString());
            Assert.True(withGenerator.NoiseRegenerated);
            var without = TraceFile.Verify(path);
            Assert.True(without.Ok);
            Assert.Contains(without.Levels.Unreached, u => u.Level == Cm.Pure.Verification.VerificationLevel.Seeded && u.Why.Contains("philox:1234"));
            var replay = TraceFile.Replay(path, c => c.ScaledSample.Select(v => v * 0.5f).ToArray(), s => LanguageExt.Prelude.Some(Fresh()));
            Assert.True(replay.Ok, replay.ToString());
            var wrongSeed = TraceFile.Verify(path, s => LanguageExt.Prelude.Some<INoise>(RecordedNoise.Of(draws.Reverse().ToArray())));
            Assert.Equal("hashes.sample", TraceBytes.Failure(wrongSeed).Field);
        }
        finally { File.Delete(path); }
    }
}
