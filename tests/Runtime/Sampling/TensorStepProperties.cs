using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using Cm.Runtime.Sampling;
using Cm.Tests.Core;
using Cm.Tests.Runtime;
using FsCheck;
using FsCheck.Xunit;
using TorchSharp;

namespace Cm.Tests.Sampling;

/// <summary>The tensor step does the pure step's float32 arithmetic: on the CPU, the same bits.</summary>
[Properties(Arbitrary = [typeof(Arbitraries)], MaxTest = 500)]
public sealed class TensorStepProperties
{
    private static torch.Tensor T(Tensor<float> x) => torch.tensor(x.ToArray(), x.Shape.Dims.Select(d => (long)d).ToArray());

    private static (StepOutcome<float> Pure, Tensor<float> Ops, Tensor<float> OpsDenoised, Tensor<float> Span) Run(StepCase c)
    {
        RuntimeFixtures.RequireTorch();
        var pure = Scheduler.Step(c.State, c.ModelOutput, 0.0, c.Sample).Match(o => o, e => throw new InvalidOperationException(e.Message));
        using var f = T(c.ModelOutput);
        using var z = torch.tensor(c.Noise, c.Sample.Shape.Dims.Select(d => (long)d).ToArray());
        var noise = pure.Noise.IsSome ? z : null;
        using var x1 = T(c.Sample);
        using var den = torch.empty_like(x1);
        TensorStep.ApplyOps(pure.Scalars, c.State.Config.ClipDenoised, f, x1, noise, den);
        using var x2 = T(c.Sample);
        TensorStep.Apply(pure.Scalars, c.State.Config.ClipDenoised, f, x2, noise);
        var shape = c.Sample.Shape;
        return (pure, Pipeline.ToPure(x1, shape), Pipeline.ToPure(den, shape), Pipeline.ToPure(x2, shape));
    }

    [Property]
    public bool Tensor_ops_step_on_cpu_equals_the_pure_step_bit_for_bit(StepCase c)
    {
        var r = Run(c);
        return r.Ops.Equals(r.Pure.Sample) && r.OpsDenoised.Equals(r.Pure.Denoised);
    }

    [Property]
    public bool In_place_span_step_on_cpu_equals_the_pure_step_bit_for_bit(StepCase c)
    {
        var r = Run(c);
        return r.Span.Equals(r.Pure.Sample);
    }

    [Property]
    public bool Tensor_input_scaling_equals_the_pure_scaling(StepCase c)
    {
        RuntimeFixtures.RequireTorch();
        var pure = Scheduler.ScaleModelInput(c.State, c.Sample, 0.0).Match(o => o, e => throw new InvalidOperationException(e.Message));
        using var x = T(c.Sample);
        using var dst = torch.empty_like(x);
        TensorStep.ScaleInput(pure.Divisor, x, dst);
        using var viaOps = x.div(torch.tensor(pure.Divisor));
        return Pipeline.ToPure(dst, c.Sample.Shape).Equals(pure.Scaled) && Pipeline.ToPure(viaOps, c.Sample.Shape).Equals(pure.Scaled);
    }
}
