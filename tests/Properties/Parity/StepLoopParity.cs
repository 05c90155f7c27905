using System.Numerics;
using System.Text.Json.Nodes;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Parity;

/// <summary>
/// Every complete sampling loop of every <c>step_loops_*.json</c>, replayed through the pure scheduler
/// with the recorded model outputs and the recorded noise: every intermediate value of every step,
/// bit for bit.
/// </summary>
public sealed class StepLoopParity
{
    public static TheoryData<string> Cases => GoldenFiles.StepLoopRows;

    private static JsonNode Case(string id) => GoldenFiles.StepLoopCase(id);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loop_replays_bit_for_bit_with_recorded_noise(string id)
    {
        var c = Case(id);
        if ((string)c["dtype"]! == "float32") Replay<float>(c, e => e.Tensor32());
        else Replay<double>(c, e => e.Tensor64());
    }

    private static void Replay<T>(JsonNode c, Func<Encoded, Tensor<T>> decode)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var steps = c["steps"]!.AsArray();
        var drawn = steps.Where(s => (bool)s!["noise_drawn"]!).Select(s => Encoded.Parse(s!["noise"])).ToArray();
        INoise noise = typeof(T) == typeof(float)
            ? RecordedNoise.Of(drawn.Select(e => e.F32()).ToArray())
            : RecordedNoise.Of64(drawn.Select(e => e.F64()).ToArray());
        var state = Scheduler.Create(GoldenFiles.ValidConfig(c["config"]!), GoldenFiles.Spec(c["schedule"]!), noise)
            .Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message));
        Bits.Equal(Encoded.Parse(c["scheduler_timesteps"]), state.Schedule.Timesteps.AsSpan(), "scheduler timesteps");
        Bits.Equal(Encoded.Parse(c["scheduler_sigmas"]), state.Schedule.Sigmas.AsSpan(), "scheduler sigmas");
        Bits.Equal(Encoded.Parse(c["init_noise_sigma"]), state.InitNoiseSigma, "init_noise_sigma");

        // initial_sample = initial_randn · init_noise_sigma, the constant rounded to the sample dtype.
        var randn = decode(Encoded.Parse(c["initial_randn"]));
        var sigmaMax = T.CreateTruncating(state.InitNoiseSigma);
        var sample = Tensor<T>.Create(randn.Shape, randn, (dst, r) => { for (var k = 0; k < dst.Length; k++) dst[k] = r[k] * sigmaMax; });
        Bits.Equal(Encoded.Parse(c["initial_sample"]), sample, "initial sample");

        foreach (var s in steps)
        {
            var i = (int)s!["i"]!;
            var t = Encoded.Parse(s["t"]).Scalar64;
            Assert.Equal(state.Schedule.Timesteps[i], t);
            Bits.Equal(Encoded.Parse(s["sample_in"]), sample, $"step {i} sample_in");
            var scaled = Scheduler.ScaleModelInput(state, sample, t).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
            Bits.Equal(Encoded.Parse(s["scaled_sample"]), scaled.Scaled, $"step {i} scaled");
            Assert.Equal((int)s["step_index"]!, scaled.StepIndex);

            var modelOutput = decode(Encoded.Parse(s["model_output"]));
            var step = Scheduler.Step(scaled.Next, modelOutput, t, sample).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
            var sc = step.Scalars;
            Bits.Equal(Encoded.Parse(s["sigma"]), sc.Sigma, $"step {i} sigma");
            Bits.Equal(Encoded.Parse(s["sigma_next"]), sc.SigmaNext, $"step {i} sigma_next");
            Bits.Equal(Encoded.Parse(s["sigma_hat"]), sc.SigmaHat, $"step {i} sigma_hat");
            Bits.Equal(Encoded.Parse(s["noise_scale_derived"]), sc.NoiseScale, $"step {i} noise scale");
            Bits.Equal(Encoded.Parse(s["c_skip"]), sc.CSkip, $"step {i} c_skip");
            Bits.Equal(Encoded.Parse(s["c_out"]), sc.COut, $"step {i} c_out");
            Assert.Equal((bool)s["noise_drawn"]!, step.Noise.IsSome);
            step.Noise.IfSome(z => Bits.Equal(Encoded.Parse(s["noise"]), z, $"step {i} noise"));
            Bits.Equal(Encoded.Parse(s["denoised_derived"]), step.Denoised, $"step {i} denoised");
            Bits.Equal(Encoded.Parse(s["prev_sample"]), step.Sample, $"step {i} prev_sample");
            Assert.True(step.Diagnostics.IsEmpty);
            state = step.Next;
            sample = step.Sample;
        }
        Bits.Equal(Encoded.Parse(c["final_sample"]), sample, "final sample");
        Assert.Equal((int)c["step_index_after_loop"]!, state.StepIndex.IfNone(-1));
        Assert.True(state.IsComplete);
        var sumAbs = 0.0;
        foreach (var v in sample.Data) sumAbs += Math.Abs(double.CreateChecked(v));
        Assert.Equal((double)c["final_sum_abs_float64"]!, sumAbs, 1e-9);
    }
}
