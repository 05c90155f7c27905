using System.Diagnostics.Contracts;
using System.Numerics;
using System.Runtime.InteropServices;
using Cm.Pure.Config;
using Cm.Pure.Errors;
using Cm.Pure.Noise;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

using Cm.Pure.Functional;
namespace Cm.Pure.Sampling;

/// <summary>
/// The consistency-model multistep sampler (Song et al. 2023, Algorithm 1) as pure functions over
/// <see cref="SchedulerState"/>: diffusers' <c>CMStochasticIterativeScheduler</c> without its mutation.
/// No function here changes its arguments; each returns a new state.
/// </summary>
public static class Scheduler
{
    /// <summary>A scheduler for a config and a schedule request, holding a noise source.</summary>
    [Pure]
    public static Fin<SchedulerState> Create(ValidConfig config, TimestepSpec spec, INoise noise) =>
        config is null || spec is null || noise is null
            ? FinFail<SchedulerState>(new MissingArgument(config is null ? nameof(config) : spec is null ? nameof(spec) : nameof(noise), "Scheduler.Create"))
            : Schedule.Create(config, spec).Map(s => Create(config, s, noise));

    /// <summary>A scheduler over an already built schedule.</summary>
    [Pure]
    public static SchedulerState Create(ValidConfig config, Schedule schedule, INoise noise) =>
        new(config, schedule, None, None, noise, false);

    /// <summary>
    /// diffusers' <c>set_timesteps</c>: a new schedule, with step and begin index cleared. The
    /// "model input was scaled" flag is kept, as diffusers never clears it.
    /// </summary>
    [Pure]
    public static Fin<SchedulerState> WithSchedule(SchedulerState state, TimestepSpec spec) =>
        Schedule.Create(state.Config, spec).Map(s => state with { Schedule = s, StepIndex = None, BeginIndex = None });

    /// <summary>
    /// diffusers' <c>set_begin_index</c>: start at schedule position k (e.g. for image-to-image).
    /// Cm checks that k lies inside the schedule.
    /// </summary>
    [Pure]
    public static Fin<SchedulerState> WithBeginIndex(SchedulerState state, int k) =>
        k >= 0 && k < state.Schedule.Steps
            ? FinSucc(state with { BeginIndex = k })
            : FinFail<SchedulerState>(new BeginIndexOutOfRange(k, state.Schedule.Steps));

    /// <summary>The same state drawing from another noise source.</summary>
    [Pure]
    public static SchedulerState WithNoise(SchedulerState state, INoise noise) => state with { Noise = noise };

    /// <summary>
    /// The scalars of the step the state would take next at timestep <paramref name="t"/>, or why there
    /// is none (timestep not scheduled, or the schedule is complete).
    /// </summary>
    [Pure]
    public static Fin<StepScalars> ScalarsFor(SchedulerState state, Timestep t) =>
        state is null ? FinFail<StepScalars>(new MissingArgument(nameof(state), "Scheduler.ScalarsFor")) :
        IndexRules.Resolve(state, t).Bind(i => i < state.Schedule.Steps
            ? FinSucc(StepScalars.At(state.Config, state.Schedule, i))
            : FinFail<StepScalars>(new StepPastEnd(i, state.Schedule.Steps)));

    /// <summary>
    /// The state-only part of <c>scale_model_input</c>, for backends that divide by the divisor themselves:
    /// fixes the step index, records that the input was scaled, and returns the step's scalars (among them
    /// <see cref="StepScalars.InputDivisor"/>).
    /// </summary>
    [Pure]
    public static Fin<(SchedulerState Next, StepScalars Scalars)> InputScaling(SchedulerState state, Timestep t) =>
        ScalarsFor(state, t).Map(sc => (state with { StepIndex = sc.Index, ModelInputScaled = true }, sc));

    /// <summary>
    /// <c>scale_model_input</c>: sample / √(σ_i² + σ_d²) (EDM c_in). Fixes the step index if it is unset
    /// and records that the input was scaled; never advances the index.
    /// </summary>
    [Pure]
    public static Fin<ScaledInput<T>> ScaleModelInput<T>(SchedulerState state, Tensor<T> sample, Timestep t)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        sample is null ? FinFail<ScaledInput<T>>(new MissingArgument(nameof(sample), "Scheduler.ScaleModelInput")) :
        ScalarsFor(state, t).Map(sc =>
        {
            var scaled = Tensor<T>.Create(sample.Shape, (sample, sc.InputDivisor), static (dst, a) =>
            {
                if (typeof(T) == typeof(float))
                    StepKernel.ScaleInput(a.InputDivisor, Cast<T, float>(a.sample.Data), Cast<T, float>(dst));
                else
                    StepKernel.ScaleInput(a.InputDivisor, Cast<T, double>(a.sample.Data), Cast<T, double>(dst));
            });
            return new ScaledInput<T>(state with { StepIndex = sc.Index, ModelInputScaled = true }, scaled, sc);
        });

    /// <summary>
    /// One step of Algorithm 1 with the state's own noise source: denoise with the consistency function
    /// f = c_skip·x + c_out·F (clamped if configured), then, on a multi-step schedule, add fresh noise
    /// scaled to the next level: x' = f + s_noise·z·√(σ̂² − σ_min²). Returns the next state (index + 1,
    /// noise source after the draw), the next sample and every intermediate value.
    /// </summary>
    [Pure]
    public static Fin<StepOutcome<T>> Step<T>(SchedulerState state, Tensor<T> modelOutput, Timestep t, Tensor<T> sample)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Step(state, modelOutput, t, sample, state?.Noise!);

    /// <summary>
    /// One step drawing from an explicit noise source (the next state carries what follows it).
    /// The three arrays of its result (noise when drawn, denoised, next sample) come from the step pool:
    /// arrays of earlier results that their owner released (<see cref="StepOutcome{T}.Dispose"/>,
    /// <see cref="Tensor{T}.Release"/>), else new uninitialised ones; every element is written. A loop that
    /// releases each outcome once it is done with it never touches fresh pages (docs/performance.md).
    /// </summary>
    [Pure]
    public static Fin<StepOutcome<T>> Step<T>(SchedulerState state, Tensor<T> modelOutput, Timestep t, Tensor<T> sample, INoise noise)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Missing(("state", state), ("modelOutput", modelOutput), ("sample", sample), ("noise", noise)) is { } missing)
            return FinFail<StepOutcome<T>>(new MissingArgument(missing, "Scheduler.Step"));
        if (!modelOutput.Shape.Equals(sample.Shape))
            return FinFail<StepOutcome<T>>(new ShapeMismatch("model output", sample.Shape.ToString(), modelOutput.Shape.ToString()));
        if (!ScalarsFor(state, t).Try(out var sc, out var error)) return error;
        var shape = sample.Shape;
        var next = noise;
        T[]? drawn = null;
        if (sc.DrawsNoise)
        {
            drawn = BufferPool<T>.Rent(shape.Count);
            if (!FillNoise(noise, shape, drawn.AsSpan()).Try(out next, out var noiseFailed)) return noiseFailed;
        }
        var denoised = BufferPool<T>.Rent(shape.Count);
        var prev = BufferPool<T>.Rent(shape.Count);
        Kernel(state, sc, modelOutput.Data, sample.Data, drawn, denoised, prev);
        return new StepOutcome<T>(
            state with { StepIndex = sc.Index + 1, Noise = next },
            Tensor<T>.Leased(shape, prev), Tensor<T>.Leased(shape, denoised),
            drawn is null ? None : Some(Tensor<T>.Leased(shape, drawn)), sc, Warnings(state, Finite.All(modelOutput.Data)));
    }

    /// <summary>
    /// One step that returns only the next state and sample: <see cref="Step{T}(SchedulerState, Tensor{T}, Timestep, Tensor{T})"/>
    /// without the denoised estimate and the noise. It needs one array, the result's, from the step pool
    /// (a released result's, else a new uninitialised one; see <see cref="SampleOutcome{T}.Dispose"/>): the noise is drawn into it and the step then overwrites it element by element, so
    /// the sample has the same bits as <see cref="Step{T}(SchedulerState, Tensor{T}, Timestep, Tensor{T})"/>'s.
    /// </summary>
    [Pure]
    public static Fin<SampleOutcome<T>> StepSample<T>(SchedulerState state, Tensor<T> modelOutput, Timestep t, Tensor<T> sample)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (Missing(("state", state), ("modelOutput", modelOutput), ("sample", sample)) is { } missing)
            return FinFail<SampleOutcome<T>>(new MissingArgument(missing, "Scheduler.StepSample"));
        if (!modelOutput.Shape.Equals(sample.Shape))
            return FinFail<SampleOutcome<T>>(new ShapeMismatch("model output", sample.Shape.ToString(), modelOutput.Shape.ToString()));
        if (!ScalarsFor(state, t).Try(out var sc, out var error)) return error;
        var shape = sample.Shape;
        var next = state.Noise;
        var prev = BufferPool<T>.Rent(shape.Count);
        if (sc.DrawsNoise && !FillNoise(state.Noise, shape, prev.AsSpan()).Try(out next, out var noiseFailed)) return noiseFailed;
        var finite = Finite.All(modelOutput.Data);
        Kernel(state, sc, modelOutput.Data, sample.Data, sc.DrawsNoise ? prev : null, [], prev);
        return new SampleOutcome<T>(state with { StepIndex = sc.Index + 1, Noise = next }, Tensor<T>.Leased(shape, prev), sc, Warnings(state, finite));
    }

    /// <summary>The elementwise step in the sample's dtype; <paramref name="noise"/> null means none was drawn.</summary>
    private static void Kernel<T>(SchedulerState state, in StepScalars sc, ReadOnlySpan<T> modelOutput, ReadOnlySpan<T> sample,
        T[]? noise, Span<T> denoised, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var nz = noise is null ? ReadOnlySpan<T>.Empty : noise;
        if (typeof(T) == typeof(float))
            StepKernel.Apply(sc, state.Config.ClipDenoised,
                Cast<T, float>(modelOutput), Cast<T, float>(sample), Cast<T, float>(nz),
                Cast<T, float>(denoised), Cast<T, float>(destination));
        else
            StepKernel.Apply(sc, state.Config.ClipDenoised, state.Config.SNoise,
                Cast<T, double>(modelOutput), Cast<T, double>(sample), Cast<T, double>(nz),
                Cast<T, double>(denoised), Cast<T, double>(destination));
    }

    /// <summary>
    /// One float32 step into caller-owned buffers, for loops that reuse memory: draws the noise into
    /// <paramref name="noiseBuffer"/> (when the schedule draws noise) and writes the next sample into
    /// <paramref name="destination"/> (which may be the sample buffer itself). Writes nothing else.
    /// </summary>
    public static Fin<StepIntoOutcome> StepInto(
        SchedulerState state, Timestep t, Shape shape,
        ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample,
        Span<float> noiseBuffer, Span<float> destination, Span<float> denoised = default)
    {
        var n = shape.Count;
        if (modelOutput.Length != n || sample.Length != n || destination.Length != n)
            return FinFail<StepIntoOutcome>(new ShapeMismatch("step buffers", $"{n} elements ({shape})",
                $"model output {modelOutput.Length}, sample {sample.Length}, destination {destination.Length}"));
        if (!denoised.IsEmpty && denoised.Length < n)
            return FinFail<StepIntoOutcome>(new BufferTooShort("denoised", n, denoised.Length));
        if (!PrepareStep(state, t, shape, noiseBuffer).Try(out var o, out var error)) return error;
        if (!Finite.All(modelOutput)) o = o with { Diagnostics = o.Diagnostics.Add(Diagnostic.NonFiniteModelOutput) };
        var nz = o.NoiseDrawn ? noiseBuffer[..n] : Span<float>.Empty;
        StepKernel.Apply(o.Scalars, state.Config.ClipDenoised, modelOutput, sample, nz, denoised.IsEmpty ? denoised : denoised[..n], destination);
        return o;
    }

    /// <summary>
    /// Everything of a float32 step except the elementwise arithmetic, for backends that do that part
    /// themselves (the tensor runtime on a GPU): resolves the scalars, draws the step's noise into
    /// <paramref name="noiseBuffer"/> when the schedule draws noise, and returns the advanced state.
    /// The caller then computes <see cref="StepKernel.Apply(in StepScalars, bool, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float})"/>'s
    /// formula with exactly these scalars and this noise.
    /// </summary>
    public static Fin<StepIntoOutcome> PrepareStep(SchedulerState state, Timestep t, Shape shape, Span<float> noiseBuffer) =>
        Prepare(state, t, shape, noiseBuffer, markScaled: false);

    /// <summary>
    /// <see cref="InputScaling"/> and <see cref="PrepareStep"/> in one: for a loop that divides the model input by
    /// <see cref="StepScalars.InputDivisor"/> itself, the step's scalars are resolved once, the state records that the
    /// input was scaled, and the step's noise is drawn into <paramref name="noiseBuffer"/>.
    /// </summary>
    public static Fin<StepIntoOutcome> PrepareScaledStep(SchedulerState state, Timestep t, Shape shape, Span<float> noiseBuffer) =>
        Prepare(state, t, shape, noiseBuffer, markScaled: true);

    private static Fin<StepIntoOutcome> Prepare(SchedulerState state, Timestep t, Shape shape, Span<float> noiseBuffer, bool markScaled)
    {
        if (state is null) return FinFail<StepIntoOutcome>(new MissingArgument(nameof(state), "Scheduler.PrepareStep"));
        var n = shape.Count;
        if (noiseBuffer.Length < n)
            return FinFail<StepIntoOutcome>(new ShapeMismatch("noise buffer", $"at least {n} elements ({shape})", noiseBuffer.Length.ToString()));
        if (!ScalarsFor(state, t).Try(out var sc, out var error)) return error;
        var at = markScaled ? state with { StepIndex = sc.Index, ModelInputScaled = true } : state;
        var drawn = sc.DrawsNoise ? at.Noise.Fill(shape, noiseBuffer[..n]) : FinSucc(at.Noise);
        if (!drawn.Try(out var next, out var noiseError)) return noiseError;
        return new StepIntoOutcome(at with { StepIndex = sc.Index + 1, Noise = next }, sc, sc.DrawsNoise, Warnings(at));
    }

    private static Seq<Diagnostic> Warnings(SchedulerState state, bool modelOutputFinite = true)
    {
        var w = state.ModelInputScaled ? Seq<Diagnostic>() : Seq1(Diagnostic.ScaleModelInputNotCalled);
        return modelOutputFinite ? w : w.Add(Diagnostic.NonFiniteModelOutput);
    }

    private static Fin<INoise> FillNoise<T>(INoise noise, Shape shape, Span<T> dst) where T : unmanaged =>
        typeof(T) == typeof(float)
            ? noise.Fill(shape, MemoryMarshal.Cast<T, float>(dst))
            : noise.Fill(shape, MemoryMarshal.Cast<T, double>(dst));

    // The first null among public arguments (the core has no nulls, but callers from outside may pass one).
    private static string? Missing(params (string Name, object? Value)[] args)
    {
        foreach (var (name, value) in args)
            if (value is null) return name;
        return null;
    }

    private static ReadOnlySpan<TTo> Cast<TFrom, TTo>(ReadOnlySpan<TFrom> s) where TFrom : unmanaged where TTo : unmanaged =>
        MemoryMarshal.Cast<TFrom, TTo>(s);

    private static Span<TTo> Cast<TFrom, TTo>(Span<TFrom> s) where TFrom : unmanaged where TTo : unmanaged =>
        MemoryMarshal.Cast<TFrom, TTo>(s);
}
