using Cm.Pure.Config;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Tests.Golden;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Core;

/// <summary>The README's pure-core example, verbatim, and what it must give.</summary>
public sealed class ReadmeExample
{
    static Fin<Tensor<float>> Sample(Func<Tensor<float>, double, Tensor<float>> model, Shape shape) =>
        from config in ConfigValidation.ValidateFin(SchedulerConfig.Default)           // every problem at once
        from start in Scheduler.Create(config, TimestepSpec.OfIndices(22, 0), TorchNoise.FromSeed(0))
        from init in InitialLatents.Draw(start, shape)                                 // x = σ_max·z
        from final in init.Next.Schedule.Timesteps.Fold(
            FinSucc((State: init.Next, X: init.Sample)),
            (acc, t) => acc.Bind(a =>
                from scaled in Scheduler.ScaleModelInput(a.State, a.X, t)              // x / √(σ² + σ_d²)
                from step in Scheduler.Step(scaled.Next, model(scaled.Scaled, t), t, a.X)
                select (step.Next, step.Sample)))
        select final.X;

    [Fact]
    public void The_readme_loop_runs_and_a_zero_model_gives_the_skip_connection_of_the_noise()
    {
        var shape = Shape.Of(1, 1, 2, 3);
        var result = Sample((x, _) => Tensor<float>.Zeros(x.Shape), shape).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(shape, result.Shape);
        // With F = 0 every step is c_skip·x (clipped) plus fresh noise: all finite, within the clip plus the last noise.
        Assert.All(result.Data.ToArray(), v => Assert.InRange(v, -1.01f, 1.01f));
        // Twice the same call gives the same bits (no hidden state).
        Assert.Equal(result, Sample((x, _) => Tensor<float>.Zeros(x.Shape), shape).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message)));
    }
}
