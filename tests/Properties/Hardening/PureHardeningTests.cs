using System.Collections.Immutable;
using Cm.Pure.Config;
using Cm.Pure.Errors;
using Cm.Pure.Noise;
using Cm.Pure.Noise.Philox;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using LanguageExt;
using LanguageExt.Common;
using Xunit;

namespace Cm.Tests.Hardening;

/// <summary>Issue 15, "bad input never costs data": the pure core answers hostile calls with error values, never exceptions.</summary>
public sealed class PureHardeningTests
{
    private static T Ok<T>(Fin<T> fin) => fin.Match(x => x, e => throw new Xunit.Sdk.XunitException("expected success, got " + e.Message));

    private static Error Err<T>(Fin<T> fin) => fin.Match(_ => throw new Xunit.Sdk.XunitException("expected an error, got a success"), e => e);

    private static SchedulerState State(INoise noise, int steps = 2) =>
        Ok(Scheduler.Create(ValidConfig.Default, TimestepSpec.OfSteps(steps), noise));

    [Fact]
    public void A_shape_whose_count_overflows_is_refused_instead_of_counting_zero()
    {
        var e = Err(Shape.Create(65536, 65536, 65536, 65536));
        Assert.IsType<InvalidShape>(e);
        Assert.Contains("more than one array holds", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Shape.Of(65536, 65536, 65536, 65536));
        Assert.IsType<InvalidShape>(Err(Shape.Create(3, 65536, 65536)));
        Assert.Equal(16 * 256, Ok(Shape.Create(16, 1, 16, 16)).Count);
        Assert.Equal(long.MaxValue, Shape.ElementCount([65536, 65536, 65536, 65536, 65536]));
    }

    [Theory]
    [InlineData("sigma_data", 1e300, 1.0, 80.0)]
    [InlineData("s_noise", 0.5, 1e300, 80.0)]
    [InlineData("sigma_max", 0.5, 1.0, 1e30)]
    public void A_config_whose_float32_scalings_overflow_is_invalid(string key, double sigmaData, double sNoise, double sigmaMax)
    {
        var c = SchedulerConfig.Default with { sigma_data = sigmaData, s_noise = sNoise, sigma_max = sigmaMax };
        var problems = ConfigValidation.Problems(c).Concat(Float32Range.Problems(c)).ToList();
        Assert.Contains(problems, p => p.Key == key);
        var e = Err(ConfigValidation.ValidateFin(c));
        Assert.Equal(ErrorKind.InvalidInput, CmError.KindOf(e));
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Every_scalar_of_every_step_is_finite_at_the_edge_of_the_float32_range()
    {
        // The largest sigma_max that passes: every step's scalars must come out finite.
        var c = Ok(ConfigValidation.ValidateFin(SchedulerConfig.Default with { sigma_max = 1e18 }));
        var s = Ok(Schedule.Create(c, TimestepSpec.OfSteps(4)));
        for (var i = 0; i < s.Steps; i++)
        {
            var sc = StepScalars.At(c, s, i);
            Assert.True(float.IsFinite(sc.CSkip) && float.IsFinite(sc.COut) && float.IsFinite(sc.InputDivisor) && float.IsFinite(sc.NoiseScale * sc.SNoise), $"step {i}");
        }
    }

    [Fact]
    public void A_two_billion_step_schedule_is_refused_before_anything_is_allocated()
    {
        var c = Ok(ConfigValidation.ValidateFin(SchedulerConfig.Default with { num_train_timesteps = 2_000_000_000 }));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Err(Schedule.Create(c, TimestepSpec.OfSteps(2_000_000_000)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.IsType<InvalidSchedule>(e);
        Assert.Contains($"at most {Schedule.MaxSteps} steps", e.Message);
    }

    [Fact]
    public void StepInto_with_a_short_denoised_buffer_is_an_error_value()
    {
        var state = State(TorchNoise.FromSeed(0));
        var shape = Shape.Of(1, 1, 4, 4);
        var n = shape.Count;
        var e = Err(Scheduler.StepInto(state, state.Schedule.Timesteps[0], shape, new float[n], new float[n], new float[n], new float[n], new float[n - 1]));
        Assert.IsType<BufferTooShort>(e);
        Assert.IsType<ShapeMismatch>(Err(Scheduler.StepInto(state, state.Schedule.Timesteps[0], shape, new float[n], new float[n], new float[n - 1], new float[n])));
    }

    [Fact]
    public void Philox_at_the_end_of_its_counter_and_exhausted_recorded_noise_are_error_values()
    {
        var shape = Shape.Of(2, 1, 4, 4);
        var x = Tensor<float>.Zeros(shape);
        foreach (INoise noise in new INoise[] { new PhiloxNoise(0, uint.MaxValue, 0), new PhiloxNoise(0, 0, uint.MaxValue), RecordedNoise.Of(), RecordedNoise.Of(new float[3]) })
        {
            var state = State(noise);
            var e = Err(Scheduler.Step(state, x, state.Schedule.Timesteps[0], x));
            Assert.IsType<NoiseFailed>(e);
            Assert.IsType<NoiseFailed>(Err(Scheduler.StepSample(state, x, state.Schedule.Timesteps[0], x)));
            Assert.IsType<NoiseFailed>(Err(Scheduler.StepInto(state, state.Schedule.Timesteps[0], shape, x.Data, x.Data, new float[shape.Count], new float[shape.Count])));
        }
        Assert.IsType<NoiseFailed>(Err(new PhiloxNoise(1).Fill(Shape.Of(2), new double[2])));
    }

    [Fact]
    public void Every_noise_source_returns_a_draw_it_cannot_give_as_a_value()
    {
        var shape = Shape.Of(1, 3);
        Assert.Contains("exhausted", Err(RecordedNoise.Of().Fill(shape, new float[3])).Message);
        Assert.Contains("needs 3", Err(RecordedNoise.Of(new float[2]).Fill(shape, new float[3])).Message);
        Assert.Contains("exhausted", Err(RecordedNoise.Of64().Fill(shape, new double[3])).Message);
        Assert.Contains("destination has 2", Err(TorchNoise.FromSeed(0).Fill(shape, new float[2])).Message);
        Assert.Contains("destination has 4", Err(TorchNoise.FromSeed(0).Fill(shape, new double[4])).Message);
        Assert.Contains("destination has 2", Err(new PhiloxNoise(0).Fill(shape, new float[2])).Message);
        Assert.Contains("2^31", Err(new PhiloxNoise(0, 0, PhiloxNoise.MaxDraws - 1).Fill(shape, new float[3])).Message);
        Assert.Contains("32-bit sample index", Err(new PhiloxNoise(0, uint.MaxValue).Fill(Shape.Of(2, 3), new float[6])).Message);
        Assert.IsType<NoiseFailed>(Err(InitialLatents.Draw(RecordedNoise.Of(), ValidConfig.Default, shape)));
        Assert.IsType<NoiseFailed>(Err(RecordedNoise.Of().Draw32(shape)));
        // The last allowed draw still succeeds.
        Assert.True(new PhiloxNoise(0, 0, PhiloxNoise.MaxDraws - 2).Fill(shape, new float[3]).IsSucc);
    }

    [Fact]
    public void Null_arguments_at_public_entry_points_are_error_values()
    {
        var state = State(TorchNoise.FromSeed(0));
        var x = Tensor<float>.Zeros(Shape.Of(1, 1, 2, 2));
        var t = state.Schedule.Timesteps[0];
        Assert.IsType<MissingArgument>(Err(Scheduler.Step<float>(null!, x, t, x)));
        Assert.IsType<MissingArgument>(Err(Scheduler.Step(state, null!, t, x)));
        Assert.IsType<MissingArgument>(Err(Scheduler.Step(state, x, t, x, null!)));
        Assert.IsType<MissingArgument>(Err(Scheduler.StepSample(state, x, t, null!)));
        Assert.IsType<MissingArgument>(Err(Scheduler.ScaleModelInput<float>(state, null!, t)));
        Assert.IsType<MissingArgument>(Err(Scheduler.ScalarsFor(null!, t)));
        Assert.IsType<MissingArgument>(Err(Scheduler.Create(ValidConfig.Default, TimestepSpec.OfSteps(2), null!)));
        Assert.True(ConfigValidation.Validate(null!).IsFail);
    }

    [Fact]
    public void A_NaN_model_output_is_reported_in_the_step_outcome()
    {
        var state = State(TorchNoise.FromSeed(0));
        var shape = Shape.Of(1, 1, 4, 4);
        var t = state.Schedule.Timesteps[0];
        var x = Tensor<float>.Full(shape, 0.5f);
        var bad = x.Data.ToArray();
        bad[7] = float.NaN;
        var nan = Tensor<float>.From(shape, bad);
        Assert.Contains(Diagnostic.NonFiniteModelOutput, Ok(Scheduler.Step(state, nan, t, x)).Diagnostics);
        Assert.Contains(Diagnostic.NonFiniteModelOutput, Ok(Scheduler.StepSample(state, nan, t, x)).Diagnostics);
        bad[7] = float.PositiveInfinity;
        Assert.Contains(Diagnostic.NonFiniteModelOutput, Ok(Scheduler.StepInto(state, t, shape, bad, x.Data, new float[16], new float[16])).Diagnostics);
        Assert.DoesNotContain(Diagnostic.NonFiniteModelOutput, Ok(Scheduler.Step(state, x, t, x)).Diagnostics);
    }

    [Fact]
    public void Finite_all_finds_a_non_finite_element_at_every_position()
    {
        for (var len = 0; len < 70; len++)
        {
            var a = Enumerable.Range(0, len).Select(i => (float)i).ToArray();
            Assert.True(Finite.All<float>(a));
            for (var k = 0; k < len; k++)
            {
                var b = a.ToArray();
                b[k] = k % 2 == 0 ? float.NaN : float.NegativeInfinity;
                Assert.False(Finite.All<float>(b), $"len {len}, k {k}");
                var d = b.Select(v => (double)v).ToArray();
                Assert.False(Finite.All<double>(d), $"double len {len}, k {k}");
            }
        }
    }
}
