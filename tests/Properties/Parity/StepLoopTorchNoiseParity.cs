using System.Numerics;
using System.Text.Json.Nodes;
using Cm.Pure.Noise;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Parity;

/// <summary>
/// Every step loop of <c>step_loops_*.json</c> run from its seeds alone: the initial latents and every
/// step's noise come from <see cref="TorchNoise"/> (shared mode: one generator for the initial draw and
/// then the steps; separate mode: <c>sample_seed</c> for the initial draw, <c>noise_seed</c> for the
/// steps), and the model outputs are the recorded ones. initial_randn, every step's noise and sample,
/// and the final sample must match bit for bit.
/// </summary>
public sealed class StepLoopTorchNoiseParity
{
    public static TheoryData<string> Cases => GoldenFiles.StepLoopRows;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loop_from_seeds_alone_reproduces_randn_noise_and_samples(string id)
    {
        var c = GoldenFiles.StepLoopCase(id);
        if ((string)c["dtype"]! == "float32") Run<float>(c, GoldenFiles.RowConfig(id), e => e.Tensor32(), (n, s) => n.Draw32(s).Ok());
        else Run<double>(c, GoldenFiles.RowConfig(id), e => e.Tensor64(), (n, s) => n.Draw64(s).Ok());
    }

    private static void Run<T>(JsonNode c, Cm.Pure.Config.ValidConfig config, Func<Encoded, Tensor<T>> decode, Func<INoise, Shape, (Tensor<T>, INoise)> draw)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var rng = c["rng"]!;
        bool shared = (string)rng["mode"]! == "shared";
        var shape = Shape.Of(c["shape"]!.AsArray().Select(d => (int)d!).ToArray());

        INoise initial = TorchNoise.FromSeed(shared ? (ulong)rng["seed"]! : (ulong)rng["sample_seed"]!);
        var (randn, afterInitial) = draw(initial, shape);
        Bits.Equal(Encoded.Parse(c["initial_randn"]), randn, "initial_randn");
        INoise stepNoise = shared ? afterInitial : TorchNoise.FromSeed((ulong)rng["noise_seed"]!);

        var state = Scheduler.Create(config, GoldenFiles.Spec(c["schedule"]!), stepNoise)
            .Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message));
        var sigmaMax = T.CreateTruncating(state.InitNoiseSigma);
        var sample = Tensor<T>.Create(randn.Shape, randn, (dst, r) => { for (var k = 0; k < dst.Length; k++) dst[k] = r[k] * sigmaMax; });
        Bits.Equal(Encoded.Parse(c["initial_sample"]), sample, "initial sample");

        foreach (var s in c["steps"]!.AsArray())
        {
            var i = (int)s!["i"]!;
            var t = Encoded.Parse(s["t"]).Scalar64;
            var scaled = Scheduler.ScaleModelInput(state, sample, t).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
            var step = Scheduler.Step(scaled.Next, decode(Encoded.Parse(s["model_output"])), t, sample)
                .Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
            Assert.Equal((bool)s["noise_drawn"]!, step.Noise.IsSome);
            step.Noise.IfSome(z => Bits.Equal(Encoded.Parse(s["noise"]), z, $"step {i} noise"));
            Bits.Equal(Encoded.Parse(s["prev_sample"]), step.Sample, $"step {i} prev_sample");
            state = step.Next;
            sample = step.Sample;
        }
        Bits.Equal(Encoded.Parse(c["final_sample"]), sample, "final sample");
    }
}
