using Cm.Pure.Errors;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Tests.Golden;
using LanguageExt;
using LanguageExt.Common;
using Xunit;

namespace Cm.Tests.Parity;

/// <summary>Every <c>add_noise*.json</c> case on a fresh <c>set_timesteps(10)</c> scheduler.</summary>
public sealed class AddNoiseParity
{
    public static TheoryData<string> Cases => GoldenFiles.DiffusersCaseRows("add_noise");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Add_noise_matches_diffusers(string id)
    {
        var (root, c) = GoldenFiles.DiffusersCase(id);
        var small = Encoded.Parse(root["original"]).Shape.SequenceEqual(Encoded.Parse(c["result"] ?? root["original"]).Shape) is false;
        var original = Encoded.Parse(root[small ? "original_small" : "original"]).Tensor32();
        var noise = Encoded.Parse(root[small ? "noise_small" : "noise"]).Tensor32();
        var ts = Encoded.Parse(c["timesteps_arg"]);
        var timesteps = ts.IsFloat32 ? ts.F32().Select(x => (double)x).ToArray() : ts.F64();

        var state = Scheduler.Create(GoldenFiles.ValidConfig(root["config"]!), TimestepSpec.OfSteps(10),
            RecordedNoise.Of(new float[original.Count])).Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message));
        if (c["step_index"] is { } stepIndex)
        {
            // diffusers: `step_index` steps at t0 first (the begin index is set afterwards).
            for (var k = 0; k < (int)stepIndex; k++)
                state = Scheduler.Step(state, Tensor<float>.Zeros(original.Shape), state.Schedule.Timesteps[k], Tensor<float>.Zeros(original.Shape))
                    .Match(o => o.Next, e => throw new Xunit.Sdk.XunitException(e.Message));
        }
        if (c["begin_index"] is { } begin)
            state = Scheduler.WithBeginIndex(state, (int)begin).Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message));

        var result = Noising.AddNoise(state, original, noise, timesteps);
        if ((bool)c["raises"]!)
        {
            Assert.Equal("IndexError", (string)c["exception"]!);
            Assert.IsType<TimestepNotInSchedule>(result.Match(_ => (Error)null!, e => e));
            return;
        }
        var indices = Noising.SigmaIndices(state, timesteps).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(c["sigma_indices_derived"]!.AsArray().Select(x => (int)x!), indices);
        Bits.Equal(Encoded.Parse(c["result"]), result.Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message)), "add_noise");
    }
}
