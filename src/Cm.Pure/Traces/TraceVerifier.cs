using Cm.Pure.Config;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// Verifies a trace as a fold over its lines (Start, Next per line, Finish): the hash chain, every
/// scalar recomputed from the header with the pure scheduler, the sample chain from step to step, the
/// step count and the footer; with inline tensors every step is recomputed bit for bit with
/// <see cref="StepKernel"/>; with a generator for the header's noise the initial sample and every
/// draw are regenerated. Stops at the first failure. Never throws.
/// </summary>
public static class TraceVerifier
{
    /// <summary>Verifies a whole trace; reads lines only until the first failure.</summary>
    public static VerifyReport Verify(IEnumerable<TraceInput> lines, VerifyOptions? options = null)
    {
        var state = Start(options ?? VerifyOptions.Default);
        foreach (var line in lines)
        {
            state = Next(state, line);
            if (state.Failed) break;
        }
        return Finish(state);
    }

    /// <summary>The state before the first line.</summary>
    public static VerifyState Start(VerifyOptions options) => new(options);

    /// <summary>The state after one more line.</summary>
    public static VerifyState Next(VerifyState s, TraceInput input)
    {
        if (s.Failed) return s;
        var read = s with { Lines = input.Number };
        return Check(read, input).Match(
            Succ: next => next,
            Fail: e => read with { Failure = e as TraceFailure ?? new TraceFailure(input.Number, None, "trace", "a valid line", e.Message) });
    }

    /// <summary>The report once the lines are exhausted: a trace without a sealing footer is incomplete.</summary>
    public static VerifyReport Finish(VerifyState s)
    {
        var failure = s.Failure.IsSome || s.Footer is not null ? s.Failure
            : s.Header is null ? Some(new TraceFailure(1, None, "header", "a header line", "an empty file"))
            : Some(new TraceFailure(s.Lines + 1, None, "footer", "a footer sealing the trace",
                $"end of file after {s.Steps} of {s.Schedule?.Steps} steps: the trace is incomplete (the run stopped or the file was cut)"));
        var recomputed = s.Header?.InlineTensors == true;
        var notes = s.Notes;
        if (s.Header is not null && !recomputed)
            notes = notes.Add("steps not recomputed: the trace has no inline tensors (record with --trace-tensors, or replay it with the model)");
        return new VerifyReport(failure, s.Lines, s.Steps, s.Footer?.Complete == true, recomputed, s.Generator is not null, notes);
    }

    private static Fin<VerifyState> Check(VerifyState s, TraceInput input)
    {
        if (s.Footer is not null)
            return Fail(input.Number, None, "line", "nothing after the footer", "another line");
        switch (input)
        {
            case TraceInput.Unreadable u:
                return new TraceFailure(u.Number, None, u.Field, u.Expected, u.Found);
            case TraceInput.Line { Terminated: false } l:
                return Fail(l.Number, None, "line", "a newline at the end of every line",
                    "the end of the file inside a line: the trace was cut while being written");
            case TraceInput.Line l:
                return TraceParser.Parse(l.Number, l.Bytes).Bind(line => Accept(s, line));
            default:
                return Fail(input.Number, None, "line", "a line", "nothing");
        }
    }

    private static Fin<VerifyState> Accept(VerifyState s, TraceLine line) => (line, s.Header) switch
    {
        (HeaderLine h, null) => AcceptHeader(s, h),
        (HeaderLine h, _) => Fail(h.Number, None, "type", "a step or the footer", "a second header"),
        (_, null) => Fail(line.Number, None, "type", "the header first", line is StepLine ? "a step" : "a footer"),
        _ when line.Prev != Some(s.PrevHash!) =>
            Fail(line.Number, line is StepLine st ? Some(st.Index) : None, "prev",
                $"{s.PrevHash} (SHA-256 of line {line.Number - 1})", line.Prev.IfNone("nothing")),
        (StepLine st, _) => AcceptStep(s, st),
        (FooterLine f, _) => AcceptFooter(s, f),
        _ => Fail(line.Number, None, "type", "a header, step or footer", line.GetType().Name),
    };

    private static Fin<VerifyState> AcceptHeader(VerifyState s, HeaderLine h)
    {
        if (h.Prev.Exists(p => p != TraceFormat.GenesisPrev))
            return Fail(h.Number, None, "prev", $"{TraceFormat.GenesisPrev} or absent (nothing precedes the header)", h.Prev.IfNone(""));
        var run = h.Run;
        var config = ConfigValidation.Validate(run.Config).Match(
            Succ: c => FinSucc(c),
            Fail: ps => Fail<ValidConfig>(h.Number, None, "config", "a valid scheduler config", string.Join("; ", ps)));
        return config.Bind(c => Schedule.Create(c, run.Schedule).Match(
            Succ: sched => FinSucc((c, sched)),
            Fail: e => Fail<(ValidConfig, Schedule)>(h.Number, None, "schedule", "a valid schedule for the config", e.Message)))
        .Bind(cs =>
        {
            if (run.ClassLabels.Exists(l => l.Length != run.SampleShape.Batch))
                return Fail(h.Number, None, "class_labels", $"one label per sample ({run.SampleShape.Batch})",
                    $"{run.ClassLabels.Map(l => l.Length).IfNone(0)} labels");
            if (run.SampleShape.Rank == 0 || run.SampleShape.Count == 0)
                return Fail(h.Number, None, "shape", "a batch-first shape with at least one element", run.SampleShape.ToString());
            var tooLarge = TraceLimits.Problem(run.SampleShape, h.InlineTensors, s.Options.MaxElements, TraceFormat.DefaultMaxLineBytes);
            if (tooLarge.IsSome) return Fail(h.Number, None, "shape", "a shape the file can hold and this reader can check", tooLarge.IfNone(""));
            var generator = run.Noise.Kind == NoiseKind.Recorded ? None : Try(() => s.Options.NoiseFor(run.Noise)).IfFail(None);
            var notes = generator.IsSome || run.Noise.Kind == NoiseKind.Recorded
                ? s.Notes
                : s.Notes.Add($"noise not regenerated: no generator for {run.Noise} was supplied");
            if (run.Noise.Kind == NoiseKind.Recorded) notes = notes.Add("noise is recorded, not seeded: it is checked only against the trace itself");
            return FinSucc(s with
            {
                Header = h, Config = cs.Item1, Schedule = cs.Item2, Generator = generator.IfNoneUnsafe((INoise?)null),
                PrevHash = h.Hash, Notes = notes,
            });
        });
    }

    private static Fin<VerifyState> AcceptStep(VerifyState s, StepLine st)
    {
        var i = s.Steps;
        var n = s.Schedule!.Steps;
        var at = Some(st.Index);
        if (st.Index != i)
            return Fail(st.Number, at, "index", $"{i} (steps in order, each once)", st.Index.ToString());
        if (i >= n)
            return Fail(st.Number, at, "index", $"at most {n} steps (the schedule's length)", $"step {i}");
        var sc = StepScalars.At(s.Config!, s.Schedule, i);
        var scalarFailure = Scalars(sc, st);
        if (scalarFailure.IsSome) return (TraceFailure)scalarFailure;
        if (sc.DrawsNoise != st.Hashes.Noise.IsSome)
            return Fail(st.Number, at, "hashes.noise",
                sc.DrawsNoise ? $"a hash: a {n}-step schedule draws noise every step" : "null: a one-step schedule draws no noise",
                st.Hashes.Noise.IfNone("null"));
        if (i > 0 && st.Hashes.Sample != s.LastNextHash)
            return Fail(st.Number, at, "hashes.sample", $"{s.LastNextHash} (the previous step's next_sample)", st.Hashes.Sample);

        // Sizes before anything is allocated for the header's shape: a short line cannot make us draw a huge tensor.
        var sizes = TensorSizes(s, st);
        if (sizes.IsSome) return (TraceFailure)sizes;
        var generator = Option<INoise>.None;
        if (s.Generator is not null)
        {
            var regenerated = Regenerate(s, st, sc);
            if (regenerated.IsFail) return regenerated.Map(_ => s);
            generator = regenerated.ToOption();
        }
        var tensors = Tensors(s, st, sc);
        if (tensors.IsSome) return (TraceFailure)tensors;
        return s with
        {
            Steps = i + 1, PrevHash = st.Hash, LastNextHash = st.Hashes.NextSample,
            Generator = generator.IfNoneUnsafe((INoise?)null),
        };
    }

    private static Fin<VerifyState> AcceptFooter(VerifyState s, FooterLine f)
    {
        var n = s.Schedule!.Steps;
        if (f.Steps != s.Steps)
            return Fail(f.Number, None, "steps", $"{s.Steps} (the step records before the footer)", f.Steps.ToString());
        if (!f.Complete)
            return Fail(f.Number, None, "complete", "true (a finished run)", $"false: the run stopped after {f.Steps} of {n} steps");
        if (f.Steps != n)
            return Fail(f.Number, None, "steps", $"{n} (the schedule's length)", f.Steps.ToString());
        if (f.FinalSample != s.LastNextHash)
            return Fail(f.Number, None, "final_sample", $"{s.LastNextHash} (the last step's next_sample)", f.FinalSample);
        return s with { Footer = f, PrevHash = f.Hash };
    }

    // The recorded scalars against the ones the pure scheduler computes from the header, bit for bit.
    private static Option<TraceFailure> Scalars(in StepScalars sc, StepLine st)
    {
        var r = st.Scalars;
        var at = Some(st.Index);
        if (BitConverter.DoubleToInt64Bits(r.Timestep) != BitConverter.DoubleToInt64Bits(sc.Timestep))
            return new TraceFailure(st.Number, at, "timestep", ExactScalar.Show(sc.Timestep), ExactScalar.Show(r.Timestep));
        (string Field, float Expected, float Found)[] pairs =
        [
            ("sigma", sc.Sigma, r.Sigma), ("sigma_next", sc.SigmaNext, r.SigmaNext), ("sigma_hat", sc.SigmaHat, r.SigmaHat),
            ("c_skip", sc.CSkip, r.CSkip), ("c_out", sc.COut, r.COut), ("input_divisor", sc.InputDivisor, r.InputDivisor),
            ("noise_scale", sc.NoiseScale, r.NoiseScale),
        ];
        foreach (var (field, expected, found) in pairs)
            if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(found))
                return new TraceFailure(st.Number, at, field, ExactScalar.Show(expected), ExactScalar.Show(found));
        return None;
    }

    // Redraws from the header's generator: the initial sample randn·f(σ_max) before step 0, then this step's noise.
    private static Fin<INoise> Regenerate(VerifyState s, StepLine st, StepScalars sc)
    {
        var at = Some(st.Index);
        var shape = s.Header!.Run.SampleShape;
        var spec = s.Header.Run.Noise;
        try
        {
            var g = s.Generator!;
            if (st.Index == 0)
            {
                var (initial, after) = InitialLatents.Draw(g, s.Config!, shape);
                var h = TensorHash.Of(initial.Data);
                if (h != st.Hashes.Sample)
                    return Fail<INoise>(st.Number, at, "hashes.sample", $"{h} (randn·sigma_max drawn from {spec})", st.Hashes.Sample);
                g = after;
            }
            var position = g.Describe();
            if (st.Position.Exists(p => p != position))
                return Fail<INoise>(st.Number, at, "position", $"\"{position}\" ({spec} after the draws so far)", $"\"{st.Position.IfNone("")}\"");
            if (!sc.DrawsNoise) return FinSucc(g);
            var (noise, next) = g.Draw32(shape);
            var nh = TensorHash.Of(noise.Data);
            return st.Hashes.Noise == Some(nh)
                ? FinSucc(next)
                : Fail<INoise>(st.Number, at, "hashes.noise", $"{nh} (drawn from {spec} at {position})", st.Hashes.Noise.IfNone("null"));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return Fail<INoise>(st.Number, at, "noise", $"a draw from {spec}", "a failed draw: " + e.Message);
        }
    }

    // Inline tensors must hold exactly the header's element count (checked before any allocation of that size).
    private static Option<TraceFailure> TensorSizes(VerifyState s, StepLine st)
    {
        var count = s.Header!.Run.SampleShape.Count;
        return st.Tensors.Bind(t =>
            new[] { ("sample", (float[]?)t.Sample), ("model_output", t.ModelOutput), ("noise", t.Noise.IfNoneUnsafe((float[]?)null)), ("next_sample", t.NextSample) }
                .Where(x => x.Item2 is not null && x.Item2.Length != count)
                .Select(x => new TraceFailure(st.Number, Some(st.Index), "tensors." + x.Item1,
                    $"{count} float32 elements (shape {s.Header.Run.SampleShape})", $"{x.Item2!.Length}"))
                .HeadOrNone());
    }

    // With inline tensors: sizes, hashes, and the step recomputed bit for bit.
    private static Option<TraceFailure> Tensors(VerifyState s, StepLine st, StepScalars sc)
    {
        var at = Some(st.Index);
        var inline = s.Header!.InlineTensors;
        if (inline != st.Tensors.IsSome)
            return new TraceFailure(st.Number, at, "tensors", inline ? "inline tensors (the header says \"tensors\": true)" : "no tensors (the header says \"tensors\": false)",
                st.Tensors.IsSome ? "tensors" : "none");
        if (st.Tensors.IsNone) return None;
        var t = (StepTensors)st.Tensors;
        var count = s.Header.Run.SampleShape.Count;
        var shape = s.Header.Run.SampleShape;
        if (t.Noise.IsSome != st.Hashes.Noise.IsSome)
            return new TraceFailure(st.Number, at, "tensors.noise", st.Hashes.Noise.IsSome ? "the drawn noise" : "null (no noise was drawn)", t.Noise.IsSome ? "a tensor" : "null");
        var named = new List<(string Field, float[] Values, string Hash)>
        {
            ("sample", t.Sample, st.Hashes.Sample), ("model_output", t.ModelOutput, st.Hashes.ModelOutput),
            ("next_sample", t.NextSample, st.Hashes.NextSample),
        };
        t.Noise.IfSome(z => named.Insert(2, ("noise", z, st.Hashes.Noise.IfNone(""))));
        foreach (var (field, values, hash) in named)
        {
            if (values.Length != count)
                return new TraceFailure(st.Number, at, "tensors." + field, $"{count} float32 elements (shape {shape})", $"{values.Length}");
            var h = TensorHash.Of(values);
            if (h != hash) return new TraceFailure(st.Number, at, "tensors." + field, $"bytes hashing to hashes.{field} = {hash}", $"bytes hashing to {h}");
        }
        var next = new float[count];
        StepKernel.Apply(sc, s.Config!.ClipDenoised, t.ModelOutput, t.Sample, t.Noise.IfNone([]), default, next);
        var k = FirstDifference(next, t.NextSample);
        return k < 0 ? None
            : new TraceFailure(st.Number, at, $"tensors.next_sample[{k}]", ExactScalar.Show(next[k]) + " (recomputed)", ExactScalar.Show(t.NextSample[k]));
    }

    /// <summary>The first index where two float32 arrays differ in bits (any NaN matches any NaN), or −1.</summary>
    public static int FirstDifference(ReadOnlySpan<float> expected, ReadOnlySpan<float> found)
    {
        if (expected.Length != found.Length) return Math.Min(expected.Length, found.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            if (float.IsNaN(expected[k]) && float.IsNaN(found[k])) continue;
            if (BitConverter.SingleToInt32Bits(expected[k]) != BitConverter.SingleToInt32Bits(found[k])) return k;
        }
        return -1;
    }

    private static Fin<VerifyState> Fail(int line, Option<int> step, string field, string expected, string found) =>
        new TraceFailure(line, step, field, expected, found);

    private static Fin<T> Fail<T>(int line, Option<int> step, string field, string expected, string found) =>
        new TraceFailure(line, step, field, expected, found);
}
