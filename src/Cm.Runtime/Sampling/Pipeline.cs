using System.Collections.Immutable;
using Cm.Pure.Noise.Philox;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Models;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

using Cm.Pure.Functional;
namespace Cm.Runtime.Sampling;

/// <summary>
/// The consistency-model sampling loop on TorchSharp tensors (diffusers' <c>ConsistencyModelPipeline</c>):
/// initial latents = noise × σ_max, then for each scheduled timestep scale the input, call the model, and
/// step. This is the impure edge: every decision and every scalar comes from Cm.Pure; noise is drawn on
/// the CPU by Cm.Pure's generators and copied to the device, so CPU and CUDA runs see identical noise.
/// </summary>
public static class Pipeline
{
    /// <summary>Cm's version, recorded in run headers.</summary>
    public static string LibraryVersion { get; } =
        typeof(Pipeline).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// Validates <paramref name="request"/> (<see cref="SamplingPlan.Create(SamplingRequest, Option{int})"/>, for a model that does not say how many
    /// classes it has) and runs it. Errors (bad request, device, model failure, NaN, cancellation) are values.
    /// </summary>
    public static Fin<SamplingResult> Run(SamplingRequest request, IModel model, IStepObserver? observer = null, CancellationToken cancellation = default) =>
        SamplingPlan.Create(request, None).Bind(plan => Run(plan, model, observer, cancellation));

    /// <summary>Runs a validated plan with a model; nothing in the plan is checked again.</summary>
    public static Fin<SamplingResult> Run(SamplingPlan plan, IModel model, IStepObserver? observer = null, CancellationToken cancellation = default) =>
        Loop(plan.Request, plan.Schedule, plan.Labels, plan.Device, model, observer, cancellation);

    private static Fin<SamplingResult> Loop(
        SamplingRequest request, Schedule schedule, ImmutableArray<int> labels, torch.Device device,
        IModel model, IStepObserver? observer, CancellationToken cancellation)
    {
        var shape = request.BatchShape;
        var dims = shape.Dims.Select(d => (long)d).ToArray();
        var onCpu = device.type == DeviceType.CPU;
        var values = observer?.Values ?? StepValues.None;
        var wants = values != StepValues.None;
        var header = new RunHeader(
            request.Config.Value, request.Schedule, request.Noise, shape, "float32", device.ToString(),
            labels.IsEmpty ? None : Some(labels), model.Identity, LibraryVersion) { ScheduleMath = Some(request.Config.ScheduleMath) };

        using var scope = torch.NewDisposeScope();
        var state = Scheduler.Create(request.Config, schedule, NoiseSources.For(request.Noise));

        // Noise is always drawn on the CPU, into this buffer, and copied to the device when needed.
        var cpuNoise = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        var cpuStart = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        if (!InitialLatents.Fill(state, shape, TensorStep.CpuSpan(cpuStart)).Try(out state, out var undrawn)) return undrawn;
        var x = onCpu ? cpuStart : cpuStart.to(device);
        var deviceNoise = onCpu ? cpuNoise : torch.empty(dims, dtype: torch.float32, device: device);
        var scaled = torch.empty_like(x);
        var denoised = values == StepValues.Kept ? torch.empty_like(x) : null;
        var labelTensor = labels.IsEmpty ? null : torch.tensor(labels.Select(l => (long)l).ToArray(), dtype: torch.int64, device: device);
        var empty = Tensor<float>.Zeros(Shape.Of(0));
        Tensor<float> Copy(torch.Tensor t) => CopyFor(values, t, shape);
        Tensor<float>? lastNext = null;

        if (observer is not null && !observer.OnStart(header).Try(out _, out var notStarted)) return notStarted;
        for (var i = 0; i < schedule.Steps; i++)
        {
            if (cancellation.IsCancellationRequested) return FinFail<SamplingResult>(new RunCancelled(i));
            var t = schedule.Timesteps[i];
            // One preparation per step: the scalars (input divisor included) and this step's noise, drawn now; the
            // generator's state does not depend on the model output, so drawing before the call changes no bit.
            var position = state.Noise.Describe();
            if (!Scheduler.PrepareScaledStep(state, t, shape, TensorStep.CpuSpan(cpuNoise)).Try(out var step, out var unprepared))
                return unprepared;
            TensorStep.ScaleInput(step.Scalars.InputDivisor, x, scaled);

            if (!CallModel(model, scaled, step.Scalars, labelTensor, dims, shape, device).Try(out var output, out var failed)) return failed;

            var before = wants ? lastNext ?? Copy(x) : empty; // x has not changed since the last step's copy: the same object again
            if (step.NoiseDrawn && !onCpu) deviceNoise.copy_(cpuNoise);
            TensorStep.Apply(step.Scalars, request.Config.ClipDenoised, output, x, step.NoiseDrawn ? deviceNoise : null, denoised);
            state = step.Next;

            var record = wants
                ? new StepRecord(step.Scalars, position, before, Copy(output),
                    step.NoiseDrawn ? Some(Copy(cpuNoise)) : None, denoised is null ? empty : Copy(denoised), Copy(x))
                : new StepRecord(step.Scalars, position, empty, empty, None, empty, empty);
            output.Dispose();
            lastNext = wants ? record.NextSample : null;
            if (observer is not null && !observer.OnStep(record).Try(out _, out var notObserved)) return notObserved;
        }

        var final = ToPure(x, shape);
        if (observer is not null && !observer.OnComplete(final).Try(out _, out var notCompleted)) return notCompleted;
        return new SamplingResult(header, final, labels, schedule.Steps);
    }

    /// <summary>
    /// The model call of a step (its scalars: a network takes t, an analytic model σ) with the checks every loop makes: an exception becomes
    /// <see cref="ModelFailed"/>, an output of another shape too, and NaN or infinity <see cref="NonFiniteModelOutput"/>.
    /// Returns the output as a contiguous float32 tensor on <paramref name="device"/> (the caller disposes it).
    /// </summary>
    internal static Fin<torch.Tensor> CallModel(IModel model, torch.Tensor scaled, StepScalars step, torch.Tensor? labels,
        long[] dims, Shape shape, torch.Device device)
    {
        torch.Tensor output;
        try
        {
            output = model.Forward(scaled, step, labels);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return FinFail<torch.Tensor>(TorchScriptModel.CallError(step.Index, e));
        }
        if (!output.shape.SequenceEqual(dims))
            return FinFail<torch.Tensor>(new ModelFailed(step.Index, $"output shape [{string.Join(", ", output.shape)}] differs from the sample shape {shape}"));
        output = output.to(torch.float32).to(device).contiguous();
        return IsFinite(output) ? FinSucc(output) : FinFail<torch.Tensor>(new NonFiniteModelOutput(step.Index, step.Timestep));
    }

    /// <summary>
    /// One cheap reduction: the sum of a finite tensor is finite unless it overflows, so only a non-finite
    /// sum needs the exact (allocating) check.
    /// </summary>
    private static bool IsFinite(torch.Tensor t)
    {
        using var sum = t.sum(torch.float64);
        if (double.IsFinite(sum.item<double>())) return true;
        using var ok = torch.isfinite(t).all();
        return ok.item<bool>();
    }

    /// <summary>
    /// A step value as an observer of <paramref name="values"/> takes it: a pooled copy when it is handed over (warm
    /// memory, no page faults; the observer releases it), an immutable one when it is kept.
    /// </summary>
    internal static Tensor<float> CopyFor(StepValues values, torch.Tensor t, Shape shape) =>
        values == StepValues.HandedOver ? ToPooled(t, shape) : ToPure(t, shape);

    /// <summary>A CPU copy of a tensor in a pooled buffer (<see cref="StepValues.HandedOver"/>: the receiver releases it).</summary>
    private static Tensor<float> ToPooled(torch.Tensor t, Shape shape)
    {
        if (t.device_type == DeviceType.CPU && t.is_contiguous() && t.dtype == torch.float32)
            return Tensor<float>.Pooled(shape, TensorStep.CpuSpan(t));
        using var cpu = t.to(torch.float32).cpu().contiguous();
        return Tensor<float>.Pooled(shape, TensorStep.CpuSpan(cpu));
    }

    /// <summary>A CPU copy of a tensor as an immutable value.</summary>
    public static Tensor<float> ToPure(torch.Tensor t, Shape shape)
    {
        if (t.device_type == DeviceType.CPU && t.is_contiguous() && t.dtype == torch.float32)
            return Tensor<float>.From(shape, TensorStep.CpuSpan(t));
        using var cpu = t.to(torch.float32).cpu().contiguous();
        return Tensor<float>.From(shape, TensorStep.CpuSpan(cpu));
    }
}
