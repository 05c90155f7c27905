using Cm.Pure.Editing;
using Cm.Pure.Errors;
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
/// differs only by the model. The loop reuses the sampler's pieces: <see cref="Pipeline.ResolveLabels"/>, the
/// NaN check, the observer protocol, cancellation between steps. Observers get each step's record with the
/// replaced estimate (the value the noise was added to) as its denoised value; audit traces of edits are not
/// supported yet (a trace file would not carry the reference and mask, and <c>cm verify</c> does not
/// recompute replacements), so <c>cm edit</c> offers no <c>--trace</c>.
/// </summary>
public static class EditPipeline
{
    /// <summary>Runs an edit. Errors (bad request or reference, device, model failure, NaN, cancellation) are values.</summary>
    public static Fin<EditResult> Run(EditRequest request, IModel model, IStepObserver? observer = null, CancellationToken cancellation = default) =>
        from labels in Pipeline.ResolveLabels(request.Sampling)
        from _ in request.Reference.Shape.Equals(request.Sampling.BatchShape)
            ? FinSucc(unit)
            : FinFail<Unit>(new InvalidEditInput($"the reference has shape {request.Reference.Shape} but the run samples {request.Sampling.BatchShape}"))
        from processed in Replacements.Preprocess(request.Replacement, request.Reference)
        from schedule in Schedule.Create(request.Sampling.Config, request.Sampling.Schedule)
        from device in request.Sampling.Device.Resolve()
        from result in Loop(request, processed, schedule, labels, device, model, observer, cancellation)
        select result;

    private static Fin<EditResult> Loop(
        EditRequest request, Tensor<float> processed, Schedule schedule, System.Collections.Immutable.ImmutableArray<int> labels,
        torch.Device device, IModel model, IStepObserver? observer, CancellationToken cancellation)
    {
        var r = request.Sampling;
        var shape = r.BatchShape;
        var dims = shape.Dims.Select(d => (long)d).ToArray();
        var onCpu = device.type == DeviceType.CPU;
        var wants = observer?.WantsStepValues ?? false;
        var header = new RunHeader(
            r.Config.Value, r.Schedule, r.Noise, shape, "float32", device.ToString(),
            labels.IsEmpty ? None : Some(labels), model.Identity, Pipeline.LibraryVersion);

        using var scope = torch.NewDisposeScope();
        var state = Scheduler.Create(r.Config, schedule, NoiseSources.For(r.Noise));
        var cpuNoise = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        var cpuX = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        var cpuDenoised = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        var cpuReplaced = torch.empty(dims, dtype: torch.float32, device: torch.CPU);
        state = InitialLatents.Fill(state, shape, TensorStep.CpuSpan(cpuX));
        var x = onCpu ? cpuX : cpuX.to(device);
        var denoised = onCpu ? cpuDenoised : torch.empty_like(x);
        var scaled = torch.empty_like(x);
        var labelTensor = labels.IsEmpty ? null : torch.tensor(labels.Select(l => (long)l).ToArray(), dtype: torch.int64, device: device);
        var empty = Tensor<float>.Zeros(Shape.Of(0));

        if (observer?.OnStart(header) is { IsFail: true } started) return started.Map(_ => default(EditResult)!);
        for (var i = 0; i < schedule.Steps; i++)
        {
            if (cancellation.IsCancellationRequested) return FinFail<EditResult>(new RunCancelled(i));
            var t = schedule.Timesteps[i];
            var scaling = Scheduler.InputScaling(state, t);
            if (scaling.IsFail) return scaling.Map(_ => default(EditResult)!);
            var (scaledState, scalars) = ((SchedulerState, StepScalars))scaling;
            TensorStep.ScaleInput(scalars.InputDivisor, x, scaled);

            var called = Pipeline.CallModel(model, scaled, t, labelTensor, dims, shape, device, i);
            if (called.IsFail) return called.Map(_ => default(EditResult)!);
            var output = (torch.Tensor)called;

            var before = wants ? Pipeline.ToPure(x, shape) : empty;
            var position = state.Noise.Describe();
            var prepared = Scheduler.PrepareStep(scaledState, t, shape, TensorStep.CpuSpan(cpuNoise));
            if (prepared.IsFail) return prepared.Map(_ => default(EditResult)!);
            var step = (StepIntoOutcome)prepared;

            // f = c_skip·x + c_out·F (clamped as configured) on the model's device; x is overwritten below.
            TensorStep.Apply(step.Scalars, r.Config.ClipDenoised, output, x, null, denoised);
            if (!onCpu) cpuDenoised.copy_(denoised);
            Replacements.ReplaceInto(request.Replacement, shape, processed.Data, TensorStep.CpuSpan(cpuDenoised), TensorStep.CpuSpan(cpuReplaced));
            EditKernel.AddSchedulerNoise(TensorStep.CpuSpan(cpuReplaced),
                step.NoiseDrawn ? TensorStep.CpuSpan(cpuNoise) : ReadOnlySpan<float>.Empty,
                step.Scalars.SNoise, step.Scalars.NoiseScale, TensorStep.CpuSpan(cpuX));
            if (!onCpu) x.copy_(cpuX);
            state = step.Next;

            // The record's denoised value is the replaced estimate: the value the noise was added to.
            var record = wants
                ? new StepRecord(step.Scalars, position, before, Pipeline.ToPure(output, shape),
                    step.NoiseDrawn ? Some(Pipeline.ToPure(cpuNoise, shape)) : None, Pipeline.ToPure(cpuReplaced, shape), Pipeline.ToPure(cpuX, shape))
                : new StepRecord(step.Scalars, position, empty, empty, None, empty, empty);
            output.Dispose();
            if (observer?.OnStep(record) is { IsFail: true } observed) return observed.Map(_ => default(EditResult)!);
        }

        var final = Pipeline.ToPure(cpuX, shape);
        if (observer?.OnComplete(final) is { IsFail: true } completed) return completed.Map(_ => default(EditResult)!);
        return new EditResult(header, processed, final, schedule.Steps);
    }
}
