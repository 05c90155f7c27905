using Cm.Pure.Config;
using Cm.Pure.Noise;
using Cm.Pure.Numerics;
using Cm.Pure.Sampling;
using Cm.Pure.Scalings;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Xunit;

namespace Cm.Tests.Core;

/// <summary>Where Cm departs from diffusers on purpose (README, "Where Cm differs from diffusers").</summary>
public sealed class DeliberateDifferences
{
    private static ValidConfig Valid(SchedulerConfig c) =>
        ConfigValidation.ValidateFin(c).Match(v => v, e => throw new InvalidOperationException(e.Message));

    [Fact]
    public void Default_last_step_keeps_diffusers_tiny_noise_scale()
    {
        var (hat, scale) = EdmScalings.NoiseScale(F32.Round(0.002), ValidConfig.Default);
        Assert.Equal(F32.Round(0.002), hat);
        Assert.Equal(0x353504f3u, BitConverter.SingleToUInt32Bits(scale));
        Assert.Equal(6.743495646333031e-07, (double)scale);
    }

    [Fact]
    public void A_sigma_min_whose_float_square_rounds_low_gives_zero_noise_scale_where_diffusers_gives_NaN()
    {
        const double sigmaMin = 0.00042060134898715064;
        var c = Valid(SchedulerConfig.Default with { sigma_min = sigmaMin });
        var f = F32.Round(sigmaMin);
        var radicand = f * f - F32.SquareRounded(sigmaMin);
        Assert.True(radicand < 0f);                       // diffusers: sqrt of this is NaN
        Assert.True(float.IsNaN(MathF.Sqrt(radicand)));
        Assert.Equal(0f, EdmScalings.NoiseScale(f, c).Scale);

        var state = Scheduler.Create(c, TimestepSpec.OfSteps(1), RecordedNoise.Of()).Match(s => s, e => throw new InvalidOperationException(e.Message));
        var x = Tensor<float>.Full(Shape.Of(1, 1, 2, 2), 0.25f);
        var o = Scheduler.Step(state, x, state.Schedule.Timesteps[0], x).Match(r => r, e => throw new InvalidOperationException(e.Message));
        Assert.All(o.Sample.Data.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Integer_timesteps_do_not_compile_and_are_rejected_at_run_time()
    {
        // `Scheduler.Step(state, f, 5, x)` is a compile-time error (Timestep's int conversion is obsolete as error).
        Assert.True(Timestep.FromObject(5).IsFail);
        Assert.True(Timestep.FromObject(5.0).IsSucc);
    }
}
