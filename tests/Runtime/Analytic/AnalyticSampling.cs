using Cm.Pure.Config;
using Cm.Pure.Noise;
using Cm.Pure.Noise.Philox;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Models;
using Cm.Runtime.Sampling;
using LanguageExt;
using TorchSharp;

namespace Cm.Tests.Analytic;

/// <summary>
/// Sampling for the analytic-model tests: the runtime pipeline itself, or, for a start other than the
/// pipeline's, a minimal loop with the same order of operations: the
/// initial sample x = σ_max·z, then for every scheduled t: scale (pure) → model.Forward (torch) → Step (pure),
/// converting Tensor&lt;float&gt; ↔ torch tensors at the model call. Noise is Philox: the initial draw, then one
/// draw per noisy step, from one source seeded with <c>seed</c>.
/// </summary>
public static class AnalyticSampling
{
    /// <summary>Config with clipping off (the exact models' distributions are then reproduced unclipped).</summary>
    public static ValidConfig NoClip { get; } =
        ConfigValidation.ValidateFin(SchedulerConfig.Default with { clip_denoised = false }).ThrowIfFail();

    /// <summary>
    /// Runs the loop; returns the final sample as float32 (row-major, <paramref name="shape"/>). The initial
    /// sample is σ_max·z (diffusers' pipeline), or <paramref name="initial"/>(z) when given (e.g. a draw from the
    /// exact noised data distribution p_σmax instead of its approximation N(0, σ_max²I)).
    /// </summary>
    public static Tensor<float> Sample(
        IModel model, ValidConfig config, TimestepSpec spec, Shape shape, ulong seed, torch.Device device,
        long[]? labels = null, Func<Tensor<float>, Tensor<float>>? initial = null)
    {
        if (initial is null)
        {
            // The shipped pipeline, end to end (it equals the pure loop bit for bit on the CPU: PipelineTests).
            var request = new SamplingRequest(config, spec, shape[0], Shape.Of([.. shape.Dims.Skip(1)]),
                new NoiseSpec(NoiseKind.Philox, seed),
                labels is null ? LabelSpec.Unconditional : new LabelSpec.Given([.. labels.Select(l => (int)l)]),
                device.type == DeviceType.CUDA ? DeviceSpec.CudaAt(device.index < 0 ? 0 : device.index) : DeviceSpec.Cpu);
            return Pipeline.Run(request, model).ThrowIfFail().Samples;
        }
        INoise noise = new PhiloxNoise(seed);
        var (z, next) = noise.Draw32(shape).Ok();
        var init = (float)config.InitNoiseSigma;
        var x = initial is not null ? initial(z) : Tensor<float>.Create(shape, z, (dst, src) =>
        {
            for (var i = 0; i < dst.Length; i++) dst[i] = src[i] * init;
        });
        var state = Scheduler.Create(config, spec, next).ThrowIfFail();
        var dims = shape.Dims.Select(d => (long)d).ToArray();
        using var labelTensor = labels is null ? null : torch.tensor(labels, dtype: torch.int64, device: device);
        foreach (var t in state.Schedule.Timesteps)
        {
            var scaled = Scheduler.ScaleModelInput(state, x, t).ThrowIfFail();
            state = scaled.Next;
            float[] output;
            using (var input = torch.tensor(scaled.Scaled.ToArray(), dims, dtype: torch.float32, device: device))
            using (var f = model.Forward(input, t, labelTensor))
            using (var cpu = f.cpu())
                output = cpu.data<float>().ToArray();
            var step = Scheduler.Step(state, Tensor<float>.From(shape, output), t, x).ThrowIfFail();
            state = step.Next;
            x = step.Sample;
        }
        return x;
    }

    /// <summary>Labels 0..9 for samples 0..n−1 from the Philox label streams of <paramref name="seed"/>.</summary>
    public static long[] Labels(ulong seed, int n, int classes)
    {
        var labels = new int[n];
        PhiloxLabels.ClassLabels(seed, 0, classes, labels);
        return labels.Select(l => (long)l).ToArray();
    }

    /// <summary>A torch tensor (CPU, float32) of a pure tensor.</summary>
    public static torch.Tensor ToTorch(Tensor<float> t) =>
        torch.tensor(t.ToArray(), t.Shape.Dims.Select(d => (long)d).ToArray(), dtype: torch.float32);
}
