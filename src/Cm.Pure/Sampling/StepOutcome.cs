using System.Numerics;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Sampling;

/// <summary>
/// Everything one step produced: the next state and sample, and every intermediate value a trace
/// needs to prove the step (scalars, denoised estimate, the noise drawn, diagnostics).
/// Its tensors live in pooled buffers: <see cref="Dispose"/> hands them back when the caller is done
/// (optional; without it the garbage collector frees them as usual).
/// </summary>
public sealed record StepOutcome<T>(
    SchedulerState Next,
    Tensor<T> Sample,
    Tensor<T> Denoised,
    Option<Tensor<T>> Noise,
    StepScalars Scalars,
    Seq<Diagnostic> Diagnostics) : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>
    /// Releases the sample, denoised estimate and noise (<see cref="Tensor{T}.Release"/>): later steps of the
    /// same size reuse their memory, and reading them afterwards throws instead of showing other values.
    /// Keep what you still need (e.g. the sample, as the next step's input) until after that step.
    /// </summary>
    public void Dispose()
    {
        Sample.Release();
        Denoised.Release();
        Noise.IfSome(static n => n.Release());
    }
}

/// <summary>
/// The result of scaling a model input: the state (step index fixed), the scaled sample and the step's scalars
/// (the divisor among them; the model call takes σ from them).
/// </summary>
public sealed record ScaledInput<T>(SchedulerState Next, Tensor<T> Scaled, StepScalars Scalars)
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>√(σ_i² + σ_d²), what the sample was divided by.</summary>
    public float Divisor => Scalars.InputDivisor;

    /// <summary>The step index i the input was scaled for.</summary>
    public int StepIndex => Scalars.Index;
}

/// <summary>The result of a step into caller buffers: the next state, the scalars used and diagnostics.</summary>
public sealed record StepIntoOutcome(SchedulerState Next, StepScalars Scalars, bool NoiseDrawn, Seq<Diagnostic> Diagnostics);

/// <summary>The result of <see cref="Scheduler.StepSample{T}"/>: the next state and sample, the scalars used and diagnostics.</summary>
public sealed record SampleOutcome<T>(SchedulerState Next, Tensor<T> Sample, StepScalars Scalars, Seq<Diagnostic> Diagnostics) : IDisposable
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Releases the sample's pooled buffer (<see cref="Tensor{T}.Release"/>) for a later step to reuse.</summary>
    public void Dispose() => Sample.Release();
}
