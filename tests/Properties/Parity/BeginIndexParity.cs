using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Tests.Golden;
using LanguageExt;
using Xunit;

namespace Cm.Tests.Parity;

/// <summary>Every <c>begin_index*.json</c> loop (starting mid-schedule) and its state rules.</summary>
public sealed class BeginIndexParity
{
    public static TheoryData<string> Cases => GoldenFiles.DiffusersCaseRows("begin_index");

    public static TheoryData<string> Files => GoldenFiles.Rows(GoldenFiles.Discover("diffusers", "begin_index"));

    private static T Ok<T>(Fin<T> f) => f.Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mid_schedule_loop_matches_diffusers(string id)
    {
        var (root, c) = GoldenFiles.DiffusersCase(id);
        var steps = c["steps"]!.AsArray();
        var noise = RecordedNoise.Of(steps.Select(s => Encoded.Parse(s!["noise"]).F32()).ToArray());
        var state = Ok(Scheduler.Create(GoldenFiles.ValidConfig(root["config"]!), TimestepSpec.OfSteps(10), noise));
        if (c["begin_index"] is { } b) state = Ok(Scheduler.WithBeginIndex(state, (int)b));
        var sample = Encoded.Parse(c["initial_sample"]).Tensor32();
        foreach (var s in steps)
        {
            var t = Encoded.Parse(s!["t_passed"]).Scalar64;
            var scaled = Ok(Scheduler.ScaleModelInput(state, sample, t));
            Assert.Equal((int)s["step_index_used"]!, scaled.StepIndex);
            Bits.Equal(Encoded.Parse(s["scaled_sample"]), scaled.Scaled, "scaled");
            var step = Ok(Scheduler.Step(scaled.Next, Encoded.Parse(s["model_output"]).Tensor32(), t, sample));
            Assert.Equal((int)s["k"]!, step.Scalars.Index);
            Bits.Equal(Encoded.Parse(s["prev_sample"]), step.Sample, $"step {s["k"]} prev_sample");
            (state, sample) = (step.Next, step.Sample);
        }
        Assert.Equal((int)c["final_step_index"]!, state.StepIndex.IfNone(-1));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void State_rules_match_diffusers(string file)
    {
        var root = GoldenFiles.Diffusers(file);
        var rules = root["state_rules"]!;
        var config = GoldenFiles.ValidConfig(root["config"]!);
        var s4 = Ok(Scheduler.Create(config, TimestepSpec.OfSteps(4), RecordedNoise.Of()));
        var withBegin = Ok(Scheduler.WithBeginIndex(s4, 2));
        var again = Ok(Scheduler.WithSchedule(withBegin, TimestepSpec.OfSteps(4)));
        Assert.Equal(rules["begin_index_after_set_timesteps"] is null, again.BeginIndex.IsNone);
        Assert.Equal(rules["step_index_after_set_timesteps"] is null, again.StepIndex.IsNone);
        var x = Tensor<float>.Zeros(Shape.Of(1, 1, 2, 3));
        var first = Ok(Scheduler.ScaleModelInput(withBegin, x, s4.Schedule.Timesteps[0]));
        Assert.Equal((int)rules["step_index_after_first_scale_model_input_with_begin_index2"]!, first.StepIndex);
        var second = Ok(Scheduler.ScaleModelInput(first.Next, x, s4.Schedule.Timesteps[3]));
        Assert.Equal((int)rules["step_index_after_second_scale_model_input"]!, second.StepIndex);
        var custom = Ok(Scheduler.WithSchedule(s4, TimestepSpec.OfIndices(22, 0)));
        Assert.Equal((bool)rules["custom_timesteps_flag_after_custom"]!, custom.Schedule.IsCustom);
    }
}
