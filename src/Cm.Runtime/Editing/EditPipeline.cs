using Cm.Pure.Editing;
using Cm.Pure.Errors;
using Cm.Pure.Functional;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Models;
using Cm.Runtime.Sampling;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Editing;

/// <summary>
/// Zero-shot editing (Song et al. 2023, Algorithm 4) on TorchSharp tensors, in Cm's scheduler convention
/// (<see cref="SchedulerEdit"/>): per scheduled timestep scale the input, call the model on its device, denoise
/// with the step's scalars (<see cref="TensorStep"/>, clamped as the config says), replace the known part, and
/// add the step's noise. Everything but the model runs exactly as Cm.Pure defines it: the replacement and the
/// noise update are Cm.Pure's span kernels over CPU memory (on CUDA the denoised estimate is copied to the CPU
/// and the next sample back), so a CPU run equals <see cref="SchedulerEdit.Step"/> bit for bit and a CUDA run
/// differs only by the model. The loop reuses the sampler's pieces: <see cref="SamplingPlan"/>, the
/// NaN check, the observer protocol, cancellation between steps. Observers get each step's record with the
/// replaced estimate (the value the noise was added to) as its denoised value. The header names the edit
/// (<see cref="EditHeader"/>: task, convention, replacement, reference and mask by hash, their values for a trace with
/// inline tensors), so a <see cref="Traces.TraceWriter"/> records an edit that <c>cm verify</c> recomputes step by step,
/// replacement included.
/// </summary>
public static class EditPipeline
{
    /// <summary>Runs an edit. Errors (bad request or reference, device, model failure, NaN, cancellation) are values.</summary>
    public static Fin<EditResult> Run(EditRequest request, IModel model, IStepObserver? observer = null, CancellationToken cancellation = default) =>
        from plan in SamplingPlan.Create(request.Sampling, None)
        from _ in request.Reference.Shape.Equals(request.Sampling.BatchShape)
            ? FinSucc(unit)
            : FinFail<Unit>(new InvalidEditInput($"the reference has shape {request.Reference.Shape} but the run samples {request.Sampling.BatchShape}"))
        from processed in Replacements.Preprocess(request.Replacement, request.Reference)
        from result in Loop(request, processed, plan.Schedule, plan.Labels, plan.Device, model, observer, cancellation)
        select result;

    private static Fin<EditResult> Loop(
        EditRequest request, Tensor<float> processed, Schedule schedule, System.Collections.Immutable.ImmutableArray<int> labels,
        torch.Device device, IModel model, IStepObserver? observer, CancellationToken cancellation)
    {
        var r = request.Sampling;
        var shape = r.BatchShape;
        var dims = shape.Dims.Select(d => (long)d).ToArray();
        var onCpu = device.type == DeviceType.CPU;
        var values = observer?.Values ?? StepValues.None;
        var wants = values != StepValues.None;
        var header = new RunHeader(
            r.Config.Value, r.Schedule, r.Noise, shape, "float32", device.ToString(),
            labels.IsEmpty ? None : Some(labels), model.Identity, Pipeline.LibraryVersion)
        {
            ScheduleMath = Some(r.Config.ScheduleMath),
            Edit = Some(EditHeader.Of(EditTasks.Of(request.Replacement), EditConvention.Scheduler, request.Replacement, request.Reference)),
        };

        using var scope = torch.NewDisposeScope();
        var state = Scheduler.Create(r.Config, schedule, NoiseSources.For(r.Noise));
        var cpuNoise = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        var cpuX = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        var cpuDenoised = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        var cpuReplaced = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        if (!InitialLatents.Fill(state, shape, TensorStep.CpuSpan(cpuX)).Try(out state, out var undrawn)) return undrawn;
        var x = onCpu ? cpuX : cpuX.to(device);
        var denoised = onCpu ? cpuDenoised : torch.empty_like(x);
        var scaled = torch.empty_like(x);
        var labelTensor = labels.IsEmpty ? null : torch.tensor(labels.Select(l => (long)l).ToArray(), dtype: torch.int64, device: device);
        var empty = Tensor<float>.Zeros(Shape.Of(0));
        Tensor<float> Copy(torch.Tensor t) => Pipeline.CopyFor(values, t, shape);
        Tensor<float>? lastNext = null;

        if (observer is not null && !observer.OnStart(header).Try(out _, out var notStarted)) return notStarted;
        for (var i = 0; i < schedule.Steps; i++)
        {
            if (cancellation.IsCancellationRequested) return FinFail<EditResult>(new RunCancelled(i));
            var t = schedule.Timesteps[i];
            var position = state.Noise.Describe();
            if (!Scheduler.PrepareScaledStep(state, t, shape, TensorStep.CpuSpan(cpuNoise)).Try(out var step, out var unprepared))
                return unprepared;
            TensorStep.ScaleInput(step.Scalars.InputDivisor, x, scaled);
            if (!Pipeline.CallModel(model, scaled, step.Scalars, labelTensor, dims, shape, device).Try(out var output, out var failed))
                return failed;

            var before = wants ? lastNext ?? Copy(x) : empty; // x has not changed since the last step's copy: the same object again

            // f = c_skip·x + c_out·F (clamped as configured) on the model's device; x is overwritten below.
            TensorStep.Apply(step.Scalars, r.Config.ClipDenoised, output, x, null, denoised);
            if (!onCpu) cpuDenoised.copy_(denoised);
            SchedulerEdit.ReplaceAndAddNoise(step.Scalars, request.Replacement, shape, processed.Data, TensorStep.CpuSpan(cpuDenoised),
                step.NoiseDrawn ? TensorStep.CpuSpan(cpuNoise) : ReadOnlySpan<float>.Empty, TensorStep.CpuSpan(cpuReplaced), TensorStep.CpuSpan(cpuX));
            if (!onCpu) x.copy_(cpuX);
            state = step.Next;

            // The record's denoised value is the replaced estimate: the value the noise was added to.
            var record = wants
                ? new StepRecord(step.Scalars, position, before, Copy(output), step.NoiseDrawn ? Some(Copy(cpuNoise)) : None,
                    values == StepValues.Kept ? Copy(cpuReplaced) : empty, Copy(cpuX))
                : new StepRecord(step.Scalars, position, empty, empty, None, empty, empty);
            output.Dispose();
            lastNext = wants ? record.NextSample : null;
            if (observer is not null && !observer.OnStep(record).Try(out _, out var notObserved)) return notObserved;
        }

        var final = Pipeline.ToPure(cpuX, shape);
        if (observer is not null && !observer.OnComplete(final).Try(out _, out var notCompleted)) return notCompleted;
        return new EditResult(header, processed, final, schedule.Steps);
    }
}
