using Cm.Pure.Errors;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules.Arithmetic;
using Cm.Pure.Tensors;
using Cm.Pure.Verification;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// Re-runs a traced run as a fold, like <see cref="TraceVerifier"/> (whose checks it runs on every line
/// first): per step it rebuilds the input sample, asks for one model call (<see cref="ReplayStep.NeedsModel"/>),
/// and, given the output, steps with the pure scheduler and compares the input sample, the model output,
/// the noise and the next sample with the trace (by hash, and element by element when the trace has
/// inline tensors). The model is not called here: the runtime evaluates it between
/// <see cref="Next"/> and <see cref="Resume"/>. The noise comes from the header's generator when one is
/// supplied, else from the trace's inline tensors. A re-run that matches reaches level <c>replayed</c>.
/// </summary>
public static class TraceReplay
{
    /// <summary>A model over CPU arrays, as a pure function: the scaled sample and the timestep give the model output.</summary>
    public delegate float[] Model(float[] scaledSample, double timestep);

    /// <summary>Replays <paramref name="lines"/> with a pure model (tests, analytic re-runs).</summary>
    public static ReplayReport Replay(IEnumerable<TraceInput> lines, Model model, VerifyOptions? options = null) =>
        Replay(lines, call => FinSucc(model(call.ScaledSample, call.Timestep)), options ?? VerifyOptions.Default);

    /// <summary>
    /// The replay loop: this fold over the lines, with <paramref name="model"/> evaluated between <see cref="Next"/> and
    /// <see cref="Resume"/> (the runtime passes one that runs the network), under each schedule arithmetic the header
    /// allows (<see cref="UnderEachArithmetic"/>). Stops at the first failure.
    /// </summary>
    public static ReplayReport Replay(IEnumerable<TraceInput> lines, Func<ModelCall, Fin<float[]>> model, VerifyOptions options) =>
        UnderEachArithmetic(options, o => Drive(lines, model, o));

    private static ReplayReport Drive(IEnumerable<TraceInput> lines, Func<ModelCall, Fin<float[]>> model, VerifyOptions options)
    {
        var state = Start(options);
        foreach (var input in lines)
        {
            state = Next(state, input) switch
            {
                ReplayStep.NeedsModel call => Resume(call, model(call.Call)),
                ReplayStep.Advanced a => a.State,
                _ => state,
            };
            if (state.Failed) break;
        }
        return Finish(state);
    }

    /// <summary>
    /// The replay under the schedule arithmetic the header names; for a header naming none, under each variant in
    /// turn (<paramref name="replay"/> runs one whole replay under the options given) until one reproduces the trace.
    /// If none does, the divergence reported is the latest; the report's note says which variant was chosen and why.
    /// </summary>
    public static ReplayReport UnderEachArithmetic(VerifyOptions options, Func<VerifyOptions, ReplayReport> replay)
    {
        var first = replay(options);
        if (first.Verification.ScheduleMathRecorded || first.Verification.ScheduleMath.IsNone) return first;
        var tried = new List<ReplayReport> { first };
        foreach (var m in ScheduleMathNames.All.Where(m => m != options.AssumedScheduleMath))
        {
            if (tried[^1].Ok) break;
            tried.Add(replay(options with { AssumedScheduleMath = m }));
        }
        var ok = tried.FirstOrDefault(r => r.Ok);
        var chosen = ok ?? tried.OrderByDescending(r => r.Divergence.Map(f => f.Line).IfNone(0)).First();
        var name = chosen.ScheduleMath.Map(m => m.Name()).IfNone("?");
        return chosen with
        {
            Note = ok is not null
                ? $"the header names no schedule arithmetic: reproduced under {name}"
                : $"the header names no schedule arithmetic: no variant reproduces the trace (tried {ScheduleMathNames.Choices}); the divergence shown is under {name}",
        };
    }

    /// <summary>The state before the first line.</summary>
    public static ReplayState Start(VerifyOptions options) => new ReplayState.AwaitingHeader(TraceVerifier.Start(options));

    /// <summary>One more line: verified, then re-run up to the model call when it is a step.</summary>
    public static ReplayStep Next(ReplayState s, TraceInput input)
    {
        if (s.Failed) return new ReplayStep.Advanced(s);
        var line = TraceVerifier.Read(input);
        var verified = TraceVerifier.Next(s.Verify, input.Number, line);
        if (verified is VerifyState.FailedAt f) return Advance(Fail(s, verified, f.Failure));
        return line.Match(
            Fail: e => Advance(Fail(s, verified, Diverged(new TraceFailure(input.Number, None, "line", "a valid line", e.Message)))),
            Succ: l => (s, l) switch
            {
                (ReplayState.AwaitingHeader, HeaderLine h) => Advance(Header(verified, h)),
                (ReplayState.Running r, StepLine st) => Step(r with { Verify = verified }, st),
                (ReplayState.Running r, FooterLine ft) => Advance(Footer(r with { Verify = verified }, ft)),
                _ => Advance(Fail(s, verified, Diverged(new TraceFailure(input.Number, None, "type", "a header, then steps, then the footer", "another line")))),
            });
    }

    /// <summary>The step after the model's output (or the model's failure) for a pending step.</summary>
    public static ReplayState Resume(ReplayStep.NeedsModel p, Fin<float[]> output) => output.Match(
        Fail: e => Fail(p.Before, p.Before.Verify, Diverged(new TraceFailure(p.Line.Number, Some(p.Line.Index), "model", "a model output", e.Message))),
        Succ: o => AfterModel(p, o));

    /// <summary>The report once the lines are exhausted: the verifier's, with <c>replayed</c> reached when the re-run matched.</summary>
    public static ReplayReport Finish(ReplayState s) => s switch
    {
        ReplayState.Sealed z => new ReplayReport(TraceVerifier.Finish(z.Verify).With(l => l.Reach(VerificationLevel.Replayed)), z.Steps, Some(z.Final)),
        ReplayState.FailedAt f => new ReplayReport(TraceVerifier.Finish(f.Verify).With(_ => LevelReport.Empty.Fail(f.Failure)), f.Steps, f.Sample),
        ReplayState.Running r => new ReplayReport(TraceVerifier.Finish(r.Verify), r.Steps, r.Sample),
        _ => new ReplayReport(TraceVerifier.Finish(s.Verify), 0, None),
    };

    private static ReplayStep Advance(ReplayState s) => new ReplayStep.Advanced(s);

    private static VerificationFailed Diverged(TraceFailure f) => new(VerificationLevel.Replayed, f);

    private static ReplayState Fail(ReplayState s, VerifyState verified, VerificationFailed failure) => s switch
    {
        ReplayState.Running r => new ReplayState.FailedAt(verified, failure, r.Steps, r.Sample),
        _ => new ReplayState.FailedAt(verified, failure, 0, None),
    };

    // The verifier accepted the header, so its config and schedule are valid: the scheduler is the verifier's.
    private static ReplayState Header(VerifyState verified, HeaderLine h) => verified switch
    {
        // A sampling run, or an edit in Cm's convention whose reference and mask the trace carries: the same model calls.
        VerifyState.Running { Plan: StepPlan.Sampler p } v when v.Edit.Match(e => e.Recompute.IsSome, () => true) =>
            new ReplayState.Running(verified, h, Scheduler.Create(v.Config, p.Schedule, RecordedNoise.Of()), v.Generator, None, 0)
            {
                Edit = v.Edit.Bind(e => e.Recompute),
            },
        VerifyState.Running => new ReplayState.FailedAt(verified, new VerificationFailed(VerificationLevel.Replayed, new EditNotReplayable()), 0, None),
        _ => new ReplayState.FailedAt(verified, Diverged(new TraceFailure(h.Number, None, "header", "a header the verifier accepts", "none")), 0, None),
    };

    private static ReplayStep Step(ReplayState.Running r, StepLine st)
    {
        var at = Some(st.Index);
        var shape = r.Header.Run.SampleShape;
        var t = r.Scheduler.Schedule.Timesteps[st.Index];
        ReplayStep Bad(TraceFailure f) => Advance(Fail(r, r.Verify, Diverged(f)));

        var start = r.Sample.Match(
            Some: x => FinSucc((x, r.Generator)),
            None: () => Initial(r, st, shape));
        return start.Match(
            Fail: e => Bad(e as TraceFailure ?? new TraceFailure(st.Number, at, "sample", "an initial sample", e.Message)),
            Succ: xs =>
            {
                var (sample, generator) = xs;
                var before = r with { Generator = generator, Sample = Some(sample) };
                return Compare(st, at, "sample", sample.Data, st.Hashes.Sample, st.Tensors.Map(x => x.Sample)).Match(
                    Some: f => Advance(Fail(before, r.Verify, Diverged(f))),
                    None: () => Scheduler.ScaleModelInput(r.Scheduler, sample, t).Match(
                        Fail: e => Bad(new TraceFailure(st.Number, at, "scale_model_input", "a scaled input", e.Message)),
                        Succ: scaled => new ReplayStep.NeedsModel(before, st, scaled.Next, sample, new ModelCall(scaled.Scaled.ToArray(), scaled.Scalars))));
            });
    }

    // Step 0's input: randn·f(σ_max) from the header's generator, else the trace's inline sample.
    private static Fin<(Tensor<float>, Option<INoise>)> Initial(ReplayState.Running r, StepLine st, Shape shape) =>
        r.Generator.Match(
            Some: g => InitialLatents.Draw(g, r.Scheduler.Config, shape).Map(d => (d.Sample, Some(d.Next))),
            None: () => st.Tensors.Match(
                Some: t => FinSucc((Tensor<float>.From(shape, t.Sample), Option<INoise>.None)),
                None: () => FinFail<(Tensor<float>, Option<INoise>)>(new TraceFailure(st.Number, Some(st.Index), "noise",
                    $"a generator for {r.Header.Run.Noise} or inline tensors", "neither: the initial sample cannot be rebuilt"))));

    private static ReplayState AfterModel(ReplayStep.NeedsModel p, float[] output)
    {
        var st = p.Line;
        var at = Some(st.Index);
        var r = p.Before;
        var shape = r.Header.Run.SampleShape;
        ReplayState Bad(TraceFailure f) => Fail(r, r.Verify, Diverged(f));
        if (output.Length != shape.Count)
            return Bad(new TraceFailure(st.Number, at, "model_output", $"{shape.Count} elements (shape {shape})", $"{output.Length}"));
        var noise = r.Generator.Match(
            Some: g => Some(g),
            None: () => st.Tensors.Bind(x => x.Noise).Match(
                Some: z => Some<INoise>(RecordedNoise.Of(z)),
                None: () => r.Scheduler.Schedule.Steps == 1 ? Some<INoise>(RecordedNoise.Of()) : None));
        return Compare(st, at, "model_output", output, st.Hashes.ModelOutput, st.Tensors.Map(x => x.ModelOutput)).Match(
            Some: Bad,
            None: () => noise.Match(
                None: () => Bad(new TraceFailure(st.Number, at, "noise", $"a generator for {r.Header.Run.Noise} or inline noise", "neither: the step's noise cannot be rebuilt")),
                Some: n => StepWith(r, p, Tensor<float>.From(shape, output), n).Match(
                    Fail: e => Bad(new TraceFailure(st.Number, at, "step", "a step", e.Message)),
                    Succ: outcome => Checked(st, outcome.Noise, outcome.Sample).Match(
                        Some: Bad,
                        None: () => r with
                        {
                            Scheduler = outcome.Next with { Noise = RecordedNoise.Of() },
                            Generator = r.Generator.Map(_ => outcome.Next.Noise),
                            Sample = Some(outcome.Sample),
                            Steps = r.Steps + 1,
                        }))));
    }

    // The re-run step: the sampler's, or for an edit the loop's own step (denoise, replace, noise) with noise source n.
    private static Fin<(SchedulerState Next, Option<Tensor<float>> Noise, Tensor<float> Sample)> StepWith(
        ReplayState.Running r, ReplayStep.NeedsModel p, Tensor<float> output, INoise n) =>
        r.Edit.Match(
            Some: e => Cm.Pure.Editing.SchedulerEdit.Step(p.Scaled with { Noise = n }, e.Replacement, e.Processed, output, p.Call.Timestep, p.Sample)
                .Map(o => (o.Next, o.Noise, o.Sample)),
            None: () => Scheduler.Step(p.Scaled, output, p.Call.Timestep, p.Sample, n).Map(o => (o.Next, o.Noise, o.Sample)));

    // The re-run step's noise and next sample against the trace.
    private static Option<TraceFailure> Checked(StepLine st, Option<Tensor<float>> noise, Tensor<float> sample)
    {
        var at = Some(st.Index);
        if (noise.IsSome != st.Hashes.Noise.IsSome)
            return new TraceFailure(st.Number, at, "hashes.noise", noise.IsSome ? "a noise hash" : "null", st.Hashes.Noise.IfNone("null"));
        return noise.Bind(z => Compare(st, at, "noise", z.Data, st.Hashes.Noise.IfNone(""), st.Tensors.Bind(x => x.Noise)))
            | Compare(st, at, "next_sample", sample.Data, st.Hashes.NextSample, st.Tensors.Map(x => x.NextSample));
    }

    private static ReplayState Footer(ReplayState.Running r, FooterLine f) =>
        r.Sample.Match(
            Some: x => TensorHash.Of(x.Data) == f.FinalSample
                ? (ReplayState)new ReplayState.Sealed(r.Verify, x, r.Steps)
                : Fail(r, r.Verify, Diverged(new TraceFailure(f.Number, None, "final_sample", f.FinalSample, TensorHash.Of(x.Data) + " (replayed)"))),
            None: () => Fail(r, r.Verify, Diverged(new TraceFailure(f.Number, None, "final_sample", f.FinalSample, "no sample (no step was replayed)"))));

    // By hash; when the trace holds the tensor, the first differing element is named instead.
    private static Option<TraceFailure> Compare(StepLine st, Option<int> at, string field, ReadOnlySpan<float> replayed, string hash, Option<float[]> traced)
    {
        var h = TensorHash.Of(replayed);
        if (h == hash) return None;
        var values = traced.IfNone([]);
        var k = TraceVerifier.FirstDifference(values, replayed);
        if (traced.IsSome && k >= 0 && k < values.Length && k < replayed.Length)
            return new TraceFailure(st.Number, at, $"{field}[{k}]", ExactScalar.Show(values[k]) + " (traced)", ExactScalar.Show(replayed[k]) + " (replayed)");
        return new TraceFailure(st.Number, at, "hashes." + field, hash + " (traced)", h + " (replayed)");
    }
}
