using System.Runtime.InteropServices;
using Cm.Pure.Sampling;
using TorchSharp;

namespace Cm.Runtime.Sampling;

/// <summary>
/// The elementwise part of a step on TorchSharp tensors, with every scalar taken from Cm.Pure's
/// <see cref="StepScalars"/>. On the CPU the work is Cm.Pure's own <see cref="StepKernel"/> over the
/// tensors' memory (one pass, in place, bit for bit the pure step). On other devices it is the same
/// sequence of float32 tensor operations: two products and a sum, the clamp, then the noise product
/// and the sum, each rounded on its own.
/// </summary>
public static class TensorStep
{
    /// <summary>A span over a contiguous float32 CPU tensor's memory (valid while the tensor lives).</summary>
    public static Span<float> CpuSpan(torch.Tensor t)
    {
        if (t.device_type != DeviceType.CPU || t.dtype != torch.ScalarType.Float32 || !t.is_contiguous())
            throw new ArgumentException($"expected a contiguous float32 CPU tensor, got {t.dtype} on {t.device} (contiguous: {t.is_contiguous()})");
        return MemoryMarshal.Cast<byte, float>(t.bytes);
    }

    /// <summary>x ← x / divisor, a true division per element (EDM c_in; never a reciprocal product).</summary>
    public static void ScaleInput(float divisor, torch.Tensor sample, torch.Tensor destination)
    {
        if (sample.device_type == DeviceType.CPU)
        {
            StepKernel.ScaleInput(divisor, CpuSpan(sample), CpuSpan(destination));
            return;
        }
        // A 0-dim device tensor, not a CPU scalar: some backends turn division by a scalar into a reciprocal product.
        using var d = torch.tensor(divisor, dtype: torch.float32, device: sample.device);
        destination.copy_(sample.div(d));
    }

    /// <summary>
    /// sample ← step(sample) in place. <paramref name="noise"/> is null when the step draws no noise.
    /// <paramref name="denoised"/>, when given, receives f = c_skip·x + c_out·F (clamped if configured).
    /// </summary>
    public static void Apply(in StepScalars s, bool clip, torch.Tensor modelOutput, torch.Tensor sample, torch.Tensor? noise, torch.Tensor? denoised = null)
    {
        if (sample.device_type == DeviceType.CPU)
        {
            var nz = noise is null ? ReadOnlySpan<float>.Empty : CpuSpan(noise);
            var den = denoised is null ? Span<float>.Empty : CpuSpan(denoised);
            var x = CpuSpan(sample);
            StepKernel.Apply(s, clip, CpuSpan(modelOutput), x, nz, den, x);
            return;
        }
        ApplyOps(s, clip, modelOutput, sample, noise, denoised);
    }

    /// <summary>
    /// The step as separate float32 tensor operations (any device). Kept public so a property test can
    /// check, on the CPU, that this sequence equals the pure step bit for bit.
    /// </summary>
    public static void ApplyOps(in StepScalars s, bool clip, torch.Tensor modelOutput, torch.Tensor sample, torch.Tensor? noise, torch.Tensor? denoised = null)
    {
        using var scope = torch.NewDisposeScope();
        var d = modelOutput.mul(s.COut);
        d.add_(sample.mul(s.CSkip));
        if (clip) d.clamp_(-1.0f, 1.0f);
        denoised?.copy_(d);
        if (noise is null)
        {
            d.add_(0.0f);
        }
        else
        {
            var z = noise.mul(s.SNoise);
            z.mul_(s.NoiseScale);
            d.add_(z);
        }
        sample.copy_(d);
    }
}
