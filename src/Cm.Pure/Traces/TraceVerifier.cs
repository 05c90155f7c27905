using Cm.Pure.Config;
using Cm.Pure.Editing;
using Cm.Pure.Tensors;
using Cm.Pure.Errors;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Schedules.Arithmetic;
using Cm.Pure.Verification;
using LanguageExt;
using static LanguageExt.Prelude;
using static Cm.Pure.Verification.VerificationLevel;

namespace Cm.Pure.Traces;

/// <summary>
/// Verifies a trace as a fold over its lines (Start, Next per line, Finish). Level <c>chain</c>: the hash
/// chain, every scalar recomputed from the header with the pure scheduler, the sample chain from step to
/// step, the step count and the footer. Level <c>recomputed</c>: with inline tensors every step recomputed
/// bit for bit with <see cref="StepKernel"/>. Level <c>seeded</c>: with a generator for the header's
/// noise, the initial sample and every draw regenerated. Stops at the first failure, named by the level
/// whose check caught it. Never throws.
/// </summary>
public static class TraceVerifier
{
    /// <summary>
    /// Verifies a whole trace; reads lines only until the first failure. A header that names its schedule
    /// arithmetic is checked against that one; one that names none (older traces, Python recordings) is
    /// checked against every variant (the lines are read once per variant): it verifies if one matches, and
    /// the report says which did; if none does, the failure reported is the one that came latest (ties: the
    /// default, glibc), i.e. the first value that differs under the variant that explains most of the trace.
    /// </summary>
    public static VerifyReport Verify(IEnumerable<TraceInput> lines, VerifyOptions? options = null)
    {
        var o = options ?? VerifyOptions.Default;
        var first = VerifyAssuming(lines, o);
        if (first.ScheduleMathRecorded || first.ScheduleMath.IsNone || first.Failure.Exists(f => Structural.Contains(f.Field))) return first;
        var reports = ScheduleMathNames.All.Select(m => m == o.AssumedScheduleMath ? first : VerifyAssuming(lines, o with { AssumedScheduleMath = m })).ToArray();
        var matched = reports.Where(r => r.Ok).ToArray();
        if (matched.Length > 0)
            return matched[0] with
            {
                Note = $"the header names no schedule arithmetic: the trace matches " +
                       $"{string.Join(" and ", matched.Select(r => r.ScheduleMath.Map(m => m.Name()).IfNone("?")))} (tried {ScheduleMathNames.Choices})",
            };
        var latest = reports.OrderByDescending(r => r.Failure.Map(f => f.Line).IfNone(0)).First();
        return latest with
        {
            Note = $"the header names no schedule arithmetic: no variant matches (tried {ScheduleMathNames.Choices}); " +
                   $"the failure shown is under {latest.ScheduleMath.Map(m => m.Name()).IfNone("?")}, the one that matched longest",
        };
    }

    // Failures no schedule arithmetic can explain (the file's structure and bytes): no other variant is tried, and
    // the lines are read once.
    private static readonly System.Collections.Generic.HashSet<string> Structural = ["line", "bytes", "prev", "type", "header", "footer", "index", "trace", "shape", "class_labels", "config"];

    private static VerifyReport VerifyAssuming(IEnumerable<TraceInput> lines, VerifyOptions options)
    {
        var state = Start(options);
        foreach (var line in lines)
        {
            state = Next(state, line);
            if (state.Failed) break;
        }
        return Finish(state);
    }

    /// <summary>The state before the first line.</summary>
    public static VerifyState Start(VerifyOptions options) => new VerifyState.AwaitingHeader(options, 0);

    /// <summary>The state after one more line.</summary>
    public static VerifyState Next(VerifyState s, TraceInput input) =>
        s.Failed ? s : Next(s, input.Number, Read(input));

    /// <summary>
    /// The state after line <paramref name="number"/>, already read by <see cref="Read"/>: for folds that
    /// need the parsed line themselves (replay) and must not parse it twice.
    /// </summary>
    public static VerifyState Next(VerifyState s, int number, Fin<TraceLine> line) => s switch
    {
        VerifyState.FailedAt => s,
        VerifyState.Sealed => Failed(s, number, Chain, new TraceFailure(number, None, "line", "nothing after the footer", "another line")),
        _ => line.Match(
            Succ: l => Accept(s, l),
            Fail: e => Failed(s, number, Chain, e as TraceFailure ?? new TraceFailure(number, None, "trace", "a valid line", e.Message))),
    };

    /// <summary>The parsed line, or why it cannot be: unreadable, cut mid-line, or not a valid record.</summary>
    public static Fin<TraceLine> Read(TraceInput input) => input switch
    {
        TraceInput.Unreadable u => new TraceFailure(u.Number, None, u.Field, u.Expected, u.Found),
        TraceInput.Line { Terminated: false } l => new TraceFailure(l.Number, None, "line", "a newline at the end of every line",
            "the end of the file inside a line: the trace was cut while being written"),
        TraceInput.Line l => TraceParser.Parse(l.Number, l.Bytes),
        _ => new TraceFailure(input.Number, None, "line", "a line", "nothing"),
    };

    /// <summary>The report once the lines are exhausted: a trace without a sealing footer is incomplete.</summary>
    public static VerifyReport Finish(VerifyState s) => Levelled(s) with
    {
        ScheduleMath = ConfigOf(s).Map(c => c.ScheduleMath),
        ScheduleMathRecorded = HeaderOf(s).Exists(h => h.Run.ScheduleMath.IsSome),
    };

    private static Option<ValidConfig> ConfigOf(VerifyState s) => s switch
    {
        VerifyState.Running r => Some(r.Config),
        VerifyState.Sealed z => Some(z.Run.Config),
        VerifyState.FailedAt f => ConfigOf(f.Before),
        _ => None,
    };

    private static VerifyReport Levelled(VerifyState s) => s switch
    {
        VerifyState.Sealed z => new VerifyReport(Levels(z.Run), z.LinesRead, z.Run.Steps, z.Footer.Complete, Some(z.Run.Header), Some(z.Footer.Hash)),
        VerifyState.Running r => Report(s, r.Lines, r.Steps, Some(r.Header), Chain, new TraceFailure(r.Lines + 1, None, "footer", "a footer sealing the trace",
            $"end of file after {r.Steps} of {r.Plan.Steps} steps: the trace is incomplete (the run stopped or the file was cut)")),
        VerifyState.FailedAt f => new VerifyReport(LevelReport.Empty.Fail(f.Failure), f.Lines, StepsOf(f.Before), false, HeaderOf(f.Before), None),
        _ => Report(s, s.LinesRead, 0, None, Chain, new TraceFailure(1, None, "header", "a header line", "an empty file")),
    };

    private static VerifyReport Report(VerifyState s, int lines, int steps, Option<HeaderLine> header, VerificationLevel level, TraceFailure f) =>
        new(LevelReport.Empty.Fail(new VerificationFailed(level, f)), lines, steps, false, header, None);

    private static int StepsOf(VerifyState s) => s switch
    {
        VerifyState.Running r => r.Steps,
        VerifyState.Sealed z => z.Run.Steps,
        _ => 0,
    };

    private static Option<HeaderLine> HeaderOf(VerifyState s) => s switch
    {
        VerifyState.FailedAt f => HeaderOf(f.Before),
        VerifyState.Running r => Some(r.Header),
        VerifyState.Sealed z => Some(z.Run.Header),
        _ => None,
    };

    // The levels a sealed trace reached, and why the others were not.
    private static LevelReport Levels(VerifyState.Running r)
    {
        var report = LevelReport.Empty.Reach(Chain);
        report = r.Header.InlineTensors
            ? report.Reach(Recomputed)
            : r.Edit.IsSome
                ? report.Miss(Recomputed, "the trace has no inline tensors: the edit steps, replacement included, cannot be recomputed " +
                    "(the header names the reference and mask by hash only; record with --trace-tensors)")
                : report.Miss(Recomputed, "the trace has no inline tensors (record with --trace-tensors, or replay it with the model)");
        report = r.Header.Run.Noise.Kind == NoiseKind.Recorded
            ? report.Miss(Seeded, "the header says the noise is recorded, not seeded: it is checked only against the trace itself")
            : r.Generator.IsSome
                ? report.Reach(Seeded)
                : report.Miss(Seeded, $"no generator for {r.Header.Run.Noise} was supplied");
        return report
            .Miss(Signed, "no attestation was checked against a trusted key")
            .Miss(Replayed, r.Edit.IsSome && (r.Plan is StepPlan.OpenaiEdit || !r.Header.InlineTensors)
                ? "cm replay re-runs an edit only in Cm's convention with the reference and mask inline (--trace-tensors)"
                : "the model was not run again (cm replay)");
    }

    private static VerifyState Failed(VerifyState s, int line, VerificationLevel level, TraceFailure f) =>
        new VerifyState.FailedAt(s, line, new VerificationFailed(level, f));

    private static VerifyState Accept(VerifyState s, TraceLine line) => (s, line) switch
    {
        (VerifyState.AwaitingHeader a, HeaderLine h) => AcceptHeader(a, h),
        (VerifyState.AwaitingHeader, _) =>
            Failed(s, line.Number, Chain, new TraceFailure(line.Number, None, "type", "the header first", line is StepLine ? "a step" : "a footer")),
        (VerifyState.Running, HeaderLine h) =>
            Failed(s, h.Number, Chain, new TraceFailure(h.Number, None, "type", "a step or the footer", "a second header")),
        (VerifyState.Running r, _) when line.Prev != Some(r.PrevHash) =>
            Failed(s, line.Number, Chain, new TraceFailure(line.Number, line is StepLine st ? Some(st.Index) : None, "prev",
                $"{r.PrevHash} (SHA-256 of line {line.Number - 1})", line.Prev.IfNone("nothing"))),
        (VerifyState.Running r, StepLine st) => AcceptStep(r, st),
        (VerifyState.Running r, FooterLine f) => AcceptFooter(r, f),
        _ => Failed(s, line.Number, Chain, new TraceFailure(line.Number, None, "type", "a header, step or footer", line.GetType().Name)),
    };

    private static VerifyState AcceptHeader(VerifyState.AwaitingHeader s, HeaderLine h)
    {
        VerifyState Bad(string field, string expected, string found) =>
            Failed(s, h.Number, Chain, new TraceFailure(h.Number, None, field, expected, found));
        if (h.Prev.Exists(p => p != TraceFormat.GenesisPrev))
            return Bad("prev", $"{TraceFormat.GenesisPrev} or absent (nothing precedes the header)", h.Prev.IfNone(""));
        var run = h.Run;
        if (run.ClassLabels.Exists(l => l.Length != run.SampleShape.Batch))
            return Bad("class_labels", $"one label per sample ({run.SampleShape.Batch})", $"{run.ClassLabels.Map(l => l.Length).IfNone(0)} labels");
        if (run.SampleShape.Rank == 0 || run.SampleShape.Count == 0)
            return Bad("shape", "a batch-first shape with at least one element", run.SampleShape.ToString());
        // Before anything is allocated for the header's shape: a 5 KB trace cannot make the verifier allocate gigabytes.
        var tooLarge = TraceLimits.Problem(run.SampleShape, h.InlineTensors, s.Options.MaxElements, TraceFormat.DefaultMaxLineBytes);
        if (tooLarge.IsSome) return Bad("shape", "a shape the file can hold and this reader can check", tooLarge.IfNone(""));
        return ConfigValidation.Validate(run.Config).Match(
            Fail: ps => Bad("config", "a valid scheduler config", string.Join("; ", ps)),
            Succ: valid => valid.WithScheduleMath(run.ScheduleMath.IfNone(s.Options.AssumedScheduleMath)).Match(
            Fail: e => Bad("schedule_math", "an arithmetic that covers the config", e.Message),
            Succ: c => PlanFor(c, run).Match(
                Fail: e => Bad("schedule", "a valid schedule for the config", e.Message),
                Succ: plan => EditFor(h).Match<VerifyState>(
                    Fail: e => new VerifyState.FailedAt(s, h.Number, e as VerificationFailed
                        ?? new VerificationFailed(Chain, new TraceFailure(h.Number, None, "edit", "a valid edit section", e.Message))),
                    Succ: edit => new VerifyState.Running(s.Options, h.Number, h, c, plan, GeneratorFor(s.Options, run.Noise),
                        h.Hash, 0, None, edit)))));
    }

    // The steps the header promises: the scheduler's, or openai's editing grid read from the config and the timesteps.
    private static Fin<StepPlan> PlanFor(ValidConfig c, RunHeader run) =>
        !run.Edit.Exists(e => e.Convention == EditConvention.Openai)
            ? Schedule.Create(c, run.Schedule).Map(x => (StepPlan)new StepPlan.Sampler(x))
            : run.Schedule is TimestepSpec.Custom ts
                ? KarrasEditSchedule.Create(c.SigmaMin, c.SigmaMax, c.Rho, c.NumTrainTimesteps, ts.Indices).Map(k => (StepPlan)new StepPlan.OpenaiEdit(k))
                : FinFail<StepPlan>(new InvalidEditSchedule("openai's convention lists the grid indices ts as the schedule's timesteps, not a step count"));

    // The edit section: the task agrees with the replacement and the replacement fits the shape (level chain); with inline
    // data, the reference and mask hash as the header says (level recomputed), and the processed reference is computed once.
    private static Fin<Option<VerifyState.EditState>> EditFor(HeaderLine h) => h.Run.Edit.Match(
        None: () => FinSucc(Option<VerifyState.EditState>.None),
        Some: e =>
        {
            var shape = h.Run.SampleShape;
            Fin<T> Bad<T>(VerificationLevel level, string field, string expected, string found) =>
                FinFail<T>(new VerificationFailed(level, new TraceFailure(h.Number, None, field, expected, found)));
            // Without the mask's values, a stand-in of the recorded shape checks that the mask fits the sample.
            var standIn = e.Replacement is ReplacementIdentity.Mask m ? Some(EditMask.Uniform(m.Shape, true).ToTensor().ToArray()) : None;
            return e.Replacement.Rebuild(standIn).Bind(r => Replacements.Check(r, shape).Map(_ => r)).Match(
                Fail: err => Bad<Option<VerifyState.EditState>>(Chain, "edit.replacement", $"a replacement that fits the shape {shape}", err.Message),
                Succ: r => EditTasks.Of(r) != e.Task
                    ? Bad<Option<VerifyState.EditState>>(Chain, "edit.task", $"\"{EditTasks.Of(r).Name()}\" (the task its replacement performs)", $"\"{e.Task.Name()}\"")
                    : e.Data.Match(
                None: () => FinSucc(Some(new VerifyState.EditState(e, None))),
                Some: d =>
                {
                    if (d.Reference.Length != shape.Count)
                        return Bad<Option<VerifyState.EditState>>(Recomputed, "edit.tensors.reference", $"{shape.Count} float32 elements (shape {shape})", $"{d.Reference.Length}");
                    var rh = TensorHash.Of(d.Reference);
                    if (rh != e.Reference)
                        return Bad<Option<VerifyState.EditState>>(Recomputed, "edit.tensors.reference", $"bytes hashing to edit.reference = {e.Reference}", $"bytes hashing to {rh}");
                    var maskHash = e.Replacement is ReplacementIdentity.Mask mm ? Some(mm.Hash) : None;
                    var mh = d.Mask.Map(x => TensorHash.Of(x));
                    if (maskHash.IsSome && mh != maskHash)
                        return Bad<Option<VerifyState.EditState>>(Recomputed, "edit.tensors.mask",
                            $"bytes hashing to edit.replacement.mask = {maskHash.IfNone("")}", $"bytes hashing to {mh.IfNone("nothing")}");
                    return (from replacement in e.Replacement.Rebuild(d.Mask)
                            from processed in Replacements.Preprocess(replacement, Tensor<float>.From(shape, d.Reference))
                            select Some(new VerifyState.EditState(e, Some((replacement, processed)))))
                        .Match(
                            Succ: FinSucc,
                            Fail: err => Bad<Option<VerifyState.EditState>>(Recomputed, "edit.tensors", "a reference and mask the replacement accepts", err.Message));
                }));
        });

    // The header's generator, when the caller can rebuild it; recorded noise has none by definition.
    private static Option<INoise> GeneratorFor(VerifyOptions options, NoiseSpec spec) =>
        spec.Kind == NoiseKind.Recorded ? None : Try(() => options.NoiseFor(spec)).IfFail(None);

    private static VerifyState AcceptStep(VerifyState.Running s, StepLine st)
    {
        var i = s.Steps;
        var n = s.Plan.Steps;
        var at = Some(st.Index);
        VerifyState Bad(VerificationLevel level, TraceFailure f) => Failed(s, st.Number, level, f);
        if (st.Index != i)
            return Bad(Chain, new TraceFailure(st.Number, at, "index", $"{i} (steps in order, each once)", st.Index.ToString()));
        if (i >= n)
            return Bad(Chain, new TraceFailure(st.Number, at, "index", $"at most {n} steps (the schedule's length)", $"step {i}"));
        var sc = s.Plan.At(s.Config, i);
        return Scalars(sc, st).Match(
            Some: f => Bad(Chain, f),
            None: () =>
            {
                if (sc.DrawsNoise != st.Hashes.Noise.IsSome)
                    return Bad(Chain, new TraceFailure(st.Number, at, "hashes.noise",
                        sc.DrawsNoise ? $"a hash: a {n}-step schedule draws noise every step" : "null: a one-step schedule draws no noise",
                        st.Hashes.Noise.IfNone("null")));
                if (s.LastNextHash.Exists(h => h != st.Hashes.Sample))
                    return Bad(Chain, new TraceFailure(st.Number, at, "hashes.sample",
                        $"{s.LastNextHash.IfNone("")} (the previous step's next_sample)", st.Hashes.Sample));
                return Tensors(s, st, sc).Match(
                    Some: f => Bad(Recomputed, f),
                    None: () => s.Generator.Match(
                        Some: g => Regenerate(s, g, st, sc).Match(
                            Succ: next => Advance(s, st, Some(next)),
                            Fail: e => Bad(Seeded, e as TraceFailure ?? new TraceFailure(st.Number, at, "noise", "a regenerated draw", e.Message))),
                        None: () => Advance(s, st, None)));
            });
    }

    private static VerifyState Advance(VerifyState.Running s, StepLine st, Option<INoise> generator) =>
        s with
        {
            Lines = st.Number, Steps = s.Steps + 1, PrevHash = st.Hash, LastNextHash = st.Hashes.NextSample, Generator = generator,
            LastNextValues = st.Tensors.Map(t => t.NextSample),
        };

    private static VerifyState AcceptFooter(VerifyState.Running s, FooterLine f)
    {
        var n = s.Plan.Steps;
        VerifyState Bad(string field, string expected, string found) =>
            Failed(s, f.Number, Chain, new TraceFailure(f.Number, None, field, expected, found));
        if (f.Steps != s.Steps)
            return Bad("steps", $"{s.Steps} (the step records before the footer)", f.Steps.ToString());
        if (!f.Complete)
            return Bad("complete", "true (a finished run)", $"false: the run stopped after {f.Steps} of {n} steps");
        if (f.Steps != n)
            return Bad("steps", $"{n} (the schedule's length)", f.Steps.ToString());
        if (s.LastNextHash.Exists(h => h != f.FinalSample))
            return Bad("final_sample", $"{s.LastNextHash.IfNone("")} (the last step's next_sample)", f.FinalSample);
        return new VerifyState.Sealed(s, f);
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
    private static Fin<INoise> Regenerate(VerifyState.Running s, INoise g, StepLine st, StepScalars sc)
    {
        var at = Some(st.Index);
        var shape = s.Header.Run.SampleShape;
        var spec = s.Header.Run.Noise;
        Fin<INoise> Bad(string field, string expected, string found) => new TraceFailure(st.Number, at, field, expected, found);
        Fin<A> Undrawn<A>(Fin<A> draw) => draw.Match(
            Succ: FinSucc,
            Fail: e => FinFail<A>(new TraceFailure(st.Number, at, "noise", $"a draw from {spec}", "a failed draw: " + e.Message)));

        Fin<INoise> Initial() => st.Index != 0 ? FinSucc(g) : Undrawn(s.Plan is StepPlan.OpenaiEdit k
            ? EditLoop.InitialSample(k.Schedule, shape, g).Map(x => (Sample: x.XT, x.Next))
            : InitialLatents.Draw(g, s.Config, shape)).Bind(d =>
        {
            // Inline tensors were checked against their hashes already: equal bytes need no second hash.
            if (SameAsInline(d.Sample.Data, st.Tensors.Map(t => t.Sample))) return FinSucc(d.Next);
            var h = TensorHash.Of(d.Sample.Data);
            return h == st.Hashes.Sample ? FinSucc(d.Next) : Bad("hashes.sample", $"{h} (randn·sigma_max drawn from {spec})", st.Hashes.Sample);
        });

        return Initial().Bind(before =>
        {
            var position = before.Describe();
            if (st.Position.Exists(p => p != position))
                return Bad("position", $"\"{position}\" ({spec} after the draws so far)", $"\"{st.Position.IfNone("")}\"");
            if (!sc.DrawsNoise) return FinSucc(before);
            return Undrawn(before.Draw32(shape)).Bind(d =>
            {
                if (SameAsInline(d.Values.Data, st.Tensors.Bind(t => t.Noise))) return FinSucc(d.Next);
                var nh = TensorHash.Of(d.Values.Data);
                return st.Hashes.Noise == Some(nh)
                    ? FinSucc(d.Next)
                    : Bad("hashes.noise", $"{nh} (drawn from {spec} at {position})", st.Hashes.Noise.IfNone("null"));
            });
        });
    }

    // With inline tensors: sizes, hashes, and the step recomputed bit for bit.
    private static Option<TraceFailure> Tensors(VerifyState.Running s, StepLine st, StepScalars sc)
    {
        var at = Some(st.Index);
        var inline = s.Header.InlineTensors;
        if (inline != st.Tensors.IsSome)
            return new TraceFailure(st.Number, at, "tensors", inline ? "inline tensors (the header says \"tensors\": true)" : "no tensors (the header says \"tensors\": false)",
                st.Tensors.IsSome ? "tensors" : "none");
        return st.Tensors.Bind(t => Recompute(s, st, sc, t));
    }

    private static Option<TraceFailure> Recompute(VerifyState.Running s, StepLine st, StepScalars sc, StepTensors t)
    {
        var at = Some(st.Index);
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
            // The sample repeats the previous step's next sample, whose bytes were hashed (the chain compared the hashes).
            if (field == "sample" && SameAsInline(values, s.LastNextValues)) continue;
            var h = TensorHash.Of(values);
            if (h != hash) return new TraceFailure(st.Number, at, "tensors." + field, $"bytes hashing to hashes.{field} = {hash}", $"bytes hashing to {h}");
        }
        return Next(s, st, sc, t).Match(
            Fail: e => Some(new TraceFailure(st.Number, at, "tensors", "a step that can be recomputed", e.Message)),
            Succ: next =>
            {
                var k = FirstDifference(next, t.NextSample);
                var what = s.Edit.IsSome ? " (recomputed, replacement included)" : " (recomputed)";
                return k < 0 ? None
                    : Some(new TraceFailure(st.Number, at, $"tensors.next_sample[{k}]", ExactScalar.Show(next[k]) + what, ExactScalar.Show(t.NextSample[k])));
            });
    }

    // The step's next sample from its inline tensors, with the same pure functions the loops use: the sampler's kernel,
    // Cm's edit step (denoise, replace, noise) or openai's (clamp, replace, noise).
    private static Fin<float[]> Next(VerifyState.Running s, StepLine st, StepScalars sc, StepTensors t)
    {
        var shape = s.Header.Run.SampleShape;
        var clip = s.Config.ClipDenoised;
        return s.Edit.Match(
            None: () => FinSucc(Filled(shape.Count, n => StepKernel.Apply(sc, clip, t.ModelOutput, t.Sample, t.Noise.IfNone([]), default, n))),
            Some: edit => edit.Recompute.Match(
                None: () => FinFail<float[]>(new InvalidEditInput("the header carries no reference to replace with")),
                Some: e => s.Plan is StepPlan.OpenaiEdit k
                    ? EditLoop.Step(EditStepScalars.At(k.Schedule, st.Index), e.Replacement, clip, e.Processed,
                            Tensor<float>.From(shape, t.Sample), Tensor<float>.From(shape, t.ModelOutput), Tensor<float>.From(shape, t.Noise.IfNone([])))
                        .Map(step => step.XOut.ToArray())
                    : FinSucc(Filled(shape.Count, n => SchedulerEdit.Apply(sc, clip, e.Replacement, shape, e.Processed.Data, t.ModelOutput, t.Sample, t.Noise.IfNone([]), n)))));
    }

    // A fresh array of count elements, every one written by write (so it need not be zeroed first).
    private static float[] Filled(int count, Action<float[]> write)
    {
        var next = GC.AllocateUninitializedArray<float>(count);
        write(next);
        return next;
    }

    // Whether freshly computed values have exactly the bytes of an inline tensor already checked against its hash.
    private static bool SameAsInline(ReadOnlySpan<float> values, Option<float[]> inline)
    {
        var x = inline.IfNone([]);
        return inline.IsSome && System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(x.AsSpan()));
    }

    /// <summary>The first index where two float32 arrays differ in bits (any NaN matches any NaN), or −1.</summary>
    public static int FirstDifference(ReadOnlySpan<float> expected, ReadOnlySpan<float> found)
    {
        if (expected.Length != found.Length) return Math.Min(expected.Length, found.Length);
        if (System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(found))) return -1; // the usual case, vectorised
        for (var k = 0; k < expected.Length; k++)
        {
            if (float.IsNaN(expected[k]) && float.IsNaN(found[k])) continue;
            if (BitConverter.SingleToInt32Bits(expected[k]) != BitConverter.SingleToInt32Bits(found[k])) return k;
        }
        return -1;
    }
}
