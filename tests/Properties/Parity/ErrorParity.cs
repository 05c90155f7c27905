using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Pure.Errors;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Tests.Golden;
using LanguageExt;
using LanguageExt.Common;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Parity;

/// <summary>
/// Every row of <c>errors*.json</c>: where diffusers works, Cm gives the same bits; where it raises, Cm
/// returns the matching typed error; where it crashes or accepts nonsense (the README's list), Cm
/// returns a typed error saying what is allowed. A row whose id has no rule fails, so a new file
/// cannot pass silently.
/// </summary>
public sealed class ErrorParity
{
    public static TheoryData<string> Cases => GoldenFiles.DiffusersCaseRows("errors");

    private static readonly Shape Small = Shape.Of(1, 1, 2, 3);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Error_row_is_handled_as_documented(string id)
    {
        var (root, row) = GoldenFiles.DiffusersCase(id);
        var config = GoldenFiles.ValidConfig(root["config"]!);
        var rowId = (string)row["id"]!;
        switch (rowId)
        {
            case "set_timesteps/neither":
                Expect<InvalidSchedule>(TimestepSpec.FromOptional(null, null), "exactly one");
                break;
            case "set_timesteps/both":
                Expect<InvalidSchedule>(TimestepSpec.FromOptional(2, [22, 0]), "not both");
                break;
            case "set_timesteps/not_descending" or "set_timesteps/equal_adjacent" or "set_timesteps/ascending_pair":
                Expect<InvalidSchedule>(Schedule.Create(config, Spec(row)), "strictly descending");
                break;
            case "set_timesteps/first_eq_N" or "set_timesteps/first_eq_N_with_tail" or "set_timesteps/first_gt_N":
                Expect<InvalidSchedule>(Schedule.Create(config, Spec(row)), "below num_train_timesteps (40)");
                break;
            case "set_timesteps/n_gt_N" or "set_timesteps/n_zero" or "set_timesteps/n_negative":
                Expect<InvalidSchedule>(Schedule.Create(config, Spec(row)), "between 1 and num_train_timesteps (40)");
                break;
            case "set_timesteps/empty_custom":
                Expect<InvalidSchedule>(Schedule.Create(config, TimestepSpec.OfIndices()), "empty");
                break;
            case "set_timesteps/negative_custom_ok":
                Expect<InvalidSchedule>(Schedule.Create(config, Spec(row)), ">= 0");
                break;
            case "step/int_timestep":
                Expect<IntegerTimestep>(Timestep.FromObject(5), "integer");
                break;
            case "step/bool_timestep":
                Expect<IntegerTimestep>(Timestep.FromObject(true), "integer");
                break;
            case "step/long_tensor":
                Expect<IntegerTimestep>(Timestep.FromObject(5L), "integer");
                break;
            case "step/int_tensor":
                Expect<IntegerTimestep>(Timestep.FromObject(5), "integer");
                break;
            case "step/int16_tensor_not_caught":
                // diffusers lets int16 through to a failing lookup; Cm rejects every integer type.
                Expect<IntegerTimestep>(Timestep.FromObject((short)5), "integer");
                break;
            case "step/float_not_in_schedule":
                Expect<TimestepNotInSchedule>(StepOnce(config, 0.5, row), "not in the schedule");
                break;
            case "step/timestep_as_float32":
                Expect<TimestepNotInSchedule>(StepOnce(config, (float)Steps4(config).Schedule.Timesteps[0], row), "not in the schedule");
                break;
            case "step/timestep_as_python_float" or "step/numpy_float64_timestep" or "step/warning_without_scale_model_input":
            {
                var k = rowId switch { "step/timestep_as_python_float" => 1, "step/numpy_float64_timestep" => 2, _ => 0 };
                var outcome = Ok(StepOnce(config, Steps4(config).Schedule.Timesteps[k], row));
                var returned = row["returned"]!;
                Bits.Equal(Encoded.Parse(returned["prev_sample"]), outcome.Sample, "prev_sample");
                Assert.Equal((int)returned["step_index_after"]!, outcome.Next.StepIndex.IfNone(-1));
                Assert.Equal(LoggedWarnings(row), outcome.Diagnostics.Count(d => d.Level == DiagnosticLevel.Warning));
                Assert.Contains(outcome.Diagnostics, d => d == Diagnostic.ScaleModelInputNotCalled);
                break;
            }
            case "scale_model_input/not_in_schedule":
                Expect<TimestepNotInSchedule>(
                    Scheduler.ScaleModelInput(Steps4(config), Tensor<float>.Zeros(Small), 0.5).Map(_ => unit), "not in the schedule");
                break;
            case "step/past_end_n4" or "step/past_end_n40":
                PastEnd(config, row, rowId.EndsWith("n4", StringComparison.Ordinal) ? 4 : 40);
                break;
            case "step/without_set_timesteps":
                // diffusers steps on its construction-time float64 schedule; in Cm a scheduler state cannot exist
                // without a sampling schedule: every public way to build one requires a Schedule or a TimestepSpec.
                Assert.All(typeof(SchedulerState).GetConstructors(), c =>
                    Assert.Contains(c.GetParameters(), q => q.ParameterType == typeof(Schedule)));
                Assert.All(typeof(Scheduler).GetMethods().Where(m => m.Name == "Create"), m =>
                    Assert.Contains(m.GetParameters(), q => q.ParameterType == typeof(Schedule) || q.ParameterType == typeof(TimestepSpec)));
                break;
            case "config/num_train_timesteps_1" or "config/num_train_timesteps_0":
            {
                var n = rowId.EndsWith('1') ? 1 : 0;
                var problems = ConfigValidation.Problems(SchedulerConfig.Default with { num_train_timesteps = n }).ToList();
                Assert.Equal("num_train_timesteps", Assert.Single(problems).Key);
                Assert.Contains(">= 2", problems[0].Allowed);
                break;
            }
            case "index_for_timestep/duplicates":
                Assert.Equal((int)row["returned"]!, Ok(IndexRules.IndexForTimestep([7.0, 5.0, 5.0, 3.0], 5.0)));
                break;
            case "index_for_timestep/single":
                Assert.Equal((int)row["returned"]!, Ok(IndexRules.IndexForTimestep([7.0, 5.0, 3.0], 5.0)));
                break;
            case "index_for_timestep/missing":
                Expect<TimestepNotInSchedule>(IndexRules.IndexForTimestep([7.0, 5.0, 3.0], 4.0), "not in the schedule");
                break;
            default:
                Assert.Fail($"errors row '{rowId}' has no rule in Cm's error parity tests: decide what Cm does and add one");
                break;
        }
    }

    private static void PastEnd(ValidConfig config, JsonNode row, int n)
    {
        var calls = row["returned"]!.AsArray();
        var x = Tensor<float>.Full(Small, 0.25f);
        var state = Ok(Scheduler.Create(config, TimestepSpec.OfSteps(n), RecordedNoise.Of()));
        foreach (var call in calls)
        {
            var k = (int)call!["k"]!;
            var t = state.Schedule.Timesteps[Math.Min(k, n - 1)];
            var noise = call["noise"] is { } z ? RecordedNoise.Of(Encoded.Parse(z).F32()) : RecordedNoise.Of();
            var outcome = Scheduler.Step(state, x, t, x, noise);
            if (k < n)
            {
                Assert.True((bool)call["ok"]!);
                var o = Ok(outcome);
                Bits.Equal(Encoded.Parse(call["prev_sample"]), o.Sample, $"call {k} prev_sample");
                Assert.Equal((int)call["step_index_after"]!, o.Next.StepIndex.IfNone(-1));
                state = o.Next;
            }
            else
            {
                // Beyond the schedule: diffusers fails one step late (n = 4) or runs on (n = 40); Cm stops here.
                Expect<StepPastEnd>(outcome, "past the end");
                return;
            }
        }
        Assert.Fail("the golden row ends before the schedule does");
    }

    private static SchedulerState Steps4(ValidConfig config) =>
        Ok(Scheduler.Create(config, TimestepSpec.OfSteps(4), RecordedNoise.Of()));

    private static Fin<StepOutcome<float>> StepOnce(ValidConfig config, double t, JsonNode row)
    {
        var zeros = Tensor<float>.Zeros(Small);
        var noise = row["noise"] is { } z ? RecordedNoise.Of(Encoded.Parse(z).F32()) : RecordedNoise.Of();
        return Scheduler.Step(Steps4(config), zeros, t, zeros, noise);
    }

    private static int LoggedWarnings(JsonNode row) => row["log"]!.AsArray().Count(e => (string)e![0]! == "WARNING");

    private static TimestepSpec Spec(JsonNode row)
    {
        var call = (string)row["call"]!;
        if (call.Contains("num_inference_steps", StringComparison.Ordinal))
            return TimestepSpec.OfSteps(int.Parse(call.Split(':')[1].Trim(' ', '}', ')')));
        var list = call[(call.IndexOf('[') + 1)..call.IndexOf(']')];
        return TimestepSpec.OfIndices(list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s.Trim())).ToArray());
    }

    private static T Ok<T>(Fin<T> f) => f.Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));

    private static void Expect<TError>(Fin<TimestepSpec> f, string fragment) where TError : Error => Expect<TError>(f.Map(_ => unit), fragment);
    private static void Expect<TError>(Fin<Schedule> f, string fragment) where TError : Error => Expect<TError>(f.Map(_ => unit), fragment);
    private static void Expect<TError>(Fin<Timestep> f, string fragment) where TError : Error => Expect<TError>(f.Map(_ => unit), fragment);
    private static void Expect<TError>(Fin<int> f, string fragment) where TError : Error => Expect<TError>(f.Map(_ => unit), fragment);
    private static void Expect<TError>(Fin<StepOutcome<float>> f, string fragment) where TError : Error => Expect<TError>(f.Map(_ => unit), fragment);

    private static void Expect<TError>(Fin<Unit> f, string fragment) where TError : Error
    {
        var error = f.Match(_ => throw new Xunit.Sdk.XunitException($"expected {typeof(TError).Name}, but the call succeeded"), e => e);
        Assert.IsType<TError>(error);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }
}
