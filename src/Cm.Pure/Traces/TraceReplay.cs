using Cm.Pure.Config;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// Re-runs a traced run with the pure scheduler and a model, comparing with the trace step by step: the
/// input sample, the model output, the noise and the next sample (by hash, and element by element when
/// the trace has inline tensors). The noise comes from the header's generator when one is supplied, else
/// from the trace's inline tensors. The verifier runs alongside (<see cref="TraceVerifier.Next"/> on every line
/// first), so a replay passes only traces that verify: chain, footer, scalars, tensors, nothing after the footer.
/// </summary>
public static class TraceReplay
{
    /// <summary>A model over CPU arrays: the scaled sample and the timestep give the model output.</summary>
    public delegate float[] Model(float[] scaledSample, double timestep);

    /// <summary>Replays <paramref name="trace"/> with <paramref name="model"/>.</summary>
    public static ReplayReport Replay(IEnumerable<TraceInput> trace, Model model, VerifyOptions? options = null)
    {
        options ??= VerifyOptions.Default;
        HeaderLine? header = null;
        SchedulerState? state = null;
        INoise? generator = null;
        Tensor<float>? sample = null;
        var steps = 0;
        // Replay checks everything verify checks: the verifier's fold runs alongside over the same lines
        // (one call into it, not a copy), and its first failure ends the replay before the model runs.
        var verified = TraceVerifier.Start(options);
        Option<ReplayReport> sealedReport = None;
        foreach (var input in trace)
        {
            verified = TraceVerifier.Next(verified, input);
            if (verified.Failed) return Stop(TraceVerifier.Finish(verified).Failure.IfNone(() => Unverified(input.Number)), steps, sample);
            if (sealedReport.IsSome) return Stop(Unverified(input.Number), steps, sample);
            if (input is TraceInput.Unreadable u) return Stop(new TraceFailure(u.Number, None, u.Field, u.Expected, u.Found), steps, sample);
            var parsed = TraceParser.Parse(input.Number, ((TraceInput.Line)input).Bytes);
            if (parsed.IsFail) return Stop(Failure(parsed, input.Number), steps, sample);
            switch ((TraceLine)parsed)
            {
                case HeaderLine h when header is null:
                    header = h;
                    var created = ConfigValidation.ValidateFin(h.Run.Config)
                        .Bind(c => Scheduler.Create(c, h.Run.Schedule, RecordedNoise.Of()));
                    if (created.IsFail) return Stop(new TraceFailure(h.Number, None, "header", "a valid config and schedule", Failure(created, h.Number).Message), 0, null);
                    state = (SchedulerState)created;
                    generator = h.Run.Noise.Kind == NoiseKind.Recorded ? null : options.NoiseFor(h.Run.Noise).IfNoneUnsafe((INoise?)null);
                    break;
                case StepLine st when header is not null && state is not null:
                    var result = Step(header, state, st, model, ref generator, ref sample);
                    if (result.IsSome) return Stop((TraceFailure)result, steps, sample);
                    state = state with { StepIndex = st.Index + 1 };
                    steps++;
                    break;
                case FooterLine f when header is not null:
                    var h2 = sample is null ? "no sample" : TensorHash.Of(sample.Data);
                    if (h2 != f.FinalSample)
                        return Stop(new TraceFailure(f.Number, None, "final_sample", f.FinalSample, h2 + " (replayed)"), steps, sample);
                    sealedReport = new ReplayReport(None, steps, Optional(sample!));
                    break;
                case var other:
                    return Stop(new TraceFailure(other.Number, None, "type", header is null ? "the header first" : "steps in order, then the footer", other.GetType().Name), steps, sample);
            }
        }
        var verdict = TraceVerifier.Finish(verified);
        if (verdict.Failure.IsSome) return Stop(verdict.Failure.IfNone(() => Unverified(0)), steps, sample);
        if (sealedReport.IsSome) return sealedReport.IfNone(() => Stop(Unverified(0), steps, sample));
        return Stop(new TraceFailure(0, None, "footer", "a footer", $"the end of the trace after {steps} steps: nothing to compare the final sample with"), steps, sample);
    }

    private static Option<TraceFailure> Step(
        HeaderLine h, SchedulerState state, StepLine st, Model model, ref INoise? generator, ref Tensor<float>? sample)
    {
        var at = Some(st.Index);
        var shape = h.Run.SampleShape;
        if (st.Index >= state.Schedule.Steps || st.Index != state.StepIndex.IfNone(0))
            return new TraceFailure(st.Number, at, "index", state.StepIndex.IfNone(0).ToString(), st.Index.ToString());
        var t = state.Schedule.Timesteps[st.Index];
        if (BitConverter.DoubleToInt64Bits(t) != BitConverter.DoubleToInt64Bits(st.Scalars.Timestep))
            return new TraceFailure(st.Number, at, "timestep", ExactScalar.Show(t), ExactScalar.Show(st.Scalars.Timestep));

        if (sample is null)
        {
            if (generator is not null)
            {
                (sample, generator) = InitialLatents.Draw(generator, state.Config, shape);
            }
            else if (st.Tensors.IsSome)
                sample = Tensor<float>.From(shape, ((StepTensors)st.Tensors).Sample);
            else
                return new TraceFailure(st.Number, at, "noise", $"a generator for {h.Run.Noise} or inline tensors", "neither: the initial sample cannot be rebuilt");
        }
        var mismatch = Compare(st, at, "sample", sample.Data, st.Hashes.Sample, st.Tensors.Map(x => x.Sample));
        if (mismatch.IsSome) return mismatch;

        var scaled = Scheduler.ScaleModelInput(state, sample, t);
        if (scaled.IsFail) return new TraceFailure(st.Number, at, "scale_model_input", "a scaled input", Failure(scaled, st.Number).Message);
        var scaledInput = (ScaledInput<float>)scaled;
        float[] output;
        try
        {
            output = model(scaledInput.Scaled.ToArray(), t);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new TraceFailure(st.Number, at, "model", "a model output", $"{e.GetType().Name}: {e.Message}");
        }
        if (output.Length != shape.Count)
            return new TraceFailure(st.Number, at, "model_output", $"{shape.Count} elements (shape {shape})", $"{output.Length}");
        mismatch = Compare(st, at, "model_output", output, st.Hashes.ModelOutput, st.Tensors.Map(x => x.ModelOutput));
        if (mismatch.IsSome) return mismatch;

        INoise noise;
        if (generator is not null) noise = generator;
        else if (st.Tensors.Exists(x => x.Noise.IsSome)) noise = RecordedNoise.Of(((StepTensors)st.Tensors).Noise.IfNone([]));
        else if (state.Schedule.Steps == 1) noise = RecordedNoise.Of();
        else return new TraceFailure(st.Number, at, "noise", $"a generator for {h.Run.Noise} or inline noise", "neither: the step's noise cannot be rebuilt");
        var stepped = Scheduler.Step(scaledInput.Next, Tensor<float>.From(shape, output), t, sample, noise);
        if (stepped.IsFail) return new TraceFailure(st.Number, at, "step", "a step", Failure(stepped, st.Number).Message);
        var outcome = (StepOutcome<float>)stepped;
        if (outcome.Noise.IsSome != st.Hashes.Noise.IsSome)
            return new TraceFailure(st.Number, at, "hashes.noise", outcome.Noise.IsSome ? "a noise hash" : "null", st.Hashes.Noise.IfNone("null"));
        if (outcome.Noise.IsSome)
        {
            var z = (Tensor<float>)outcome.Noise;
            mismatch = Compare(st, at, "noise", z.Data, st.Hashes.Noise.IfNone(""), st.Tensors.Bind(x => x.Noise));
            if (mismatch.IsSome) return mismatch;
        }
        mismatch = Compare(st, at, "next_sample", outcome.Sample.Data, st.Hashes.NextSample, st.Tensors.Map(x => x.NextSample));
        if (mismatch.IsSome) return mismatch;
        if (generator is not null) generator = outcome.Next.Noise;
        sample = outcome.Sample;
        return None;
    }

    // By hash; when the trace holds the tensor, the first differing element is named instead.
    private static Option<TraceFailure> Compare(StepLine st, Option<int> at, string field, ReadOnlySpan<float> replayed, string hash, Option<float[]> traced)
    {
        var h = TensorHash.Of(replayed);
        if (h == hash) return None;
        if (traced.IsSome)
        {
            var values = (float[])traced;
            var k = TraceVerifier.FirstDifference(values, replayed);
            if (k >= 0 && k < values.Length && k < replayed.Length)
                return new TraceFailure(st.Number, at, $"{field}[{k}]", ExactScalar.Show(values[k]) + " (traced)", ExactScalar.Show(replayed[k]) + " (replayed)");
        }
        return new TraceFailure(st.Number, at, "hashes." + field, hash + " (traced)", h + " (replayed)");
    }

    private static TraceFailure Failure<T>(Fin<T> fin, int line) =>
        fin.Match(_ => new TraceFailure(line, None, "?", "?", "?"),
            e => e as TraceFailure ?? new TraceFailure(line, None, "trace", "valid", e.Message));

    private static TraceFailure Unverified(int line) => new(line, None, "trace", "a trace that verifies", "a line the verifier rejected");

    private static ReplayReport Stop(TraceFailure f, int steps, Tensor<float>? sample) =>
        new(Some(f), steps, Optional(sample!));
}
