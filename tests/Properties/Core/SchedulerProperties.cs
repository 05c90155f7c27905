using Cm.Pure.Schedules.Arithmetic;
using Cm.Pure.Config;
using Cm.Pure.Errors;
using Cm.Pure.Noise;
using Cm.Pure.Numerics;
using Cm.Pure.Sampling;
using Cm.Pure.Scalings;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cm.Tests.Core;

/// <summary>The paper's and diffusers' invariants, each stated once and checked on ≥ 500 random cases.</summary>
[Properties(Arbitrary = [typeof(Arbitraries)], MaxTest = 500)]
public sealed class SchedulerProperties
{
    private static bool Bits(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(a).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.AsBytes(b));

    /// <summary>
    /// Scheduled sigmas strictly decrease and lie in [σ_min, σ_max]. The one exception is the sigma at training
    /// index N − 1: diffusers computes it as (σ_min^(1/ρ))^ρ, which can round one float32 ulp below σ_min
    /// (about one config in 10 000, e.g. σ_min = 0.00012853329486635755, σ_max = 8.72432963981918,
    /// ρ = 0.5156699215074185); Cm keeps those bits.
    /// </summary>
    [Property]
    public bool Scheduled_sigmas_strictly_decrease_and_stay_within_sigma_min_and_sigma_max(ScheduleCase c)
    {
        var s = c.Schedule.Sigmas;
        float lo = F32.Round(c.Config.SigmaMin), hi = F32.Round(c.Config.SigmaMax);
        for (var i = 1; i < s.Length - 1; i++) if (!(s[i] < s[i - 1])) return false;
        for (var j = 0; j < s.Length - 1; j++)
        {
            var atTrainingEnd = c.Schedule.Indices[^(j + 1)] == c.Config.NumTrainTimesteps - 1;
            var floor = atTrainingEnd ? MathF.BitDecrement(lo) : lo;
            if (!(s[j] >= floor && s[j] <= hi)) return false;
        }
        return s[^1] == lo;
    }

    /// <summary>The one exception above is real: σ((σ_min^(1/ρ))^ρ) can fall one ulp below σ_min.</summary>
    [Xunit.Fact]
    public void The_training_end_sigma_can_be_one_ulp_below_sigma_min_as_in_diffusers()
    {
        var c = ConfigValidation.ValidateFin(SchedulerConfig.Default with
        {
            sigma_min = 0.00012853329486635755, sigma_max = 8.72432963981918, rho = 0.5156699215074185,
        }).Match(v => v, e => throw new InvalidOperationException(e.Message));
        var s = Schedule.Create(c, TimestepSpec.OfIndices(39, 0)).Match(x => x, e => throw new InvalidOperationException(e.Message));
        Xunit.Assert.Equal(MathF.BitDecrement(F32.Round(c.SigmaMin)), s.Sigmas[^2]);
        Xunit.Assert.Equal(F32.Round(c.SigmaMin), s.Sigmas[^1]);
    }

    [Property]
    public bool Sigmas_end_at_sigma_min_and_reach_it_before_only_from_the_last_training_index(ScheduleCase c)
    {
        var s = c.Schedule.Sigmas;
        var min = F32.Round(c.Config.SigmaMin);
        var endsAtMin = s[^1] == min;
        // The appended σ_min is strictly below the last scheduled σ unless that σ is σ(r = 1) itself, which is
        // σ_min up to one float32 ulp either side (see above).
        var lastIsTrainingEnd = c.Schedule.Indices[0] == c.Config.NumTrainTimesteps - 1;
        return endsAtMin && (lastIsTrainingEnd
            ? s[^2] >= MathF.BitDecrement(min) && s[^2] <= MathF.BitIncrement(min)
            : s[^2] > s[^1]);
    }

    [Property]
    public bool Timesteps_strictly_decrease(ScheduleCase c)
    {
        var t = c.Schedule.Timesteps;
        for (var i = 1; i < t.Length; i++) if (!(t[i] < t[i - 1])) return false;
        return true;
    }

    [Property]
    public bool Schedule_has_n_timesteps_and_n_plus_one_sigmas(ScheduleCase c)
    {
        var n = c.Spec.Match(steps => steps, list => list.Length);
        return c.Schedule.Steps == n && c.Schedule.Sigmas.Length == n + 1 && c.Schedule.Indices.Length == n;
    }

    /// <summary>
    /// The paper's boundary condition f(x, σ_min) = x. c_out(σ_min) = 0 always holds exactly. diffusers
    /// computes c_skip as a rounded reciprocal times σ_d², so c_skip(σ_min) = 1 exactly when σ_d² is a power
    /// of two (σ_d = 0.5, 0.25, …: every golden config), and otherwise within one ulp of 1.
    /// </summary>
    [Property]
    public bool Boundary_condition_holds_at_sigma_min(ValidConfig c, bool powerOfTwoSigmaData)
    {
        if (powerOfTwoSigmaData)
            c = ConfigValidation.ValidateFin(c.Value with { sigma_data = Math.ScaleB(1.0, -(int)(c.SigmaMin * 1e4 % 5)) })
                .Match(v => v, e => throw new InvalidOperationException(e.Message));
        var s32 = EdmScalings.BoundaryCondition(F32.Round(c.SigmaMin), c);
        var s64 = EdmScalings.BoundaryCondition(c.SigmaMin, c);
        // A power-of-two σ_d² has an exact reciprocal, so reciprocal × σ_d² is exactly 1.
        var exact32 = float.IsPow2(F32.SquareRounded(c.SigmaData));
        var exact64 = double.IsPow2(c.SigmaData * c.SigmaData);
        var ulp32 = MathF.BitIncrement(1f) - 1f;
        var ulp64 = Math.BitIncrement(1.0) - 1.0;
        return s32.COut == 0f && s64.COut == 0.0
            && (exact32 ? s32.CSkip == 1f : Math.Abs(s32.CSkip - 1f) <= ulp32)
            && (exact64 ? s64.CSkip == 1.0 : Math.Abs(s64.CSkip - 1.0) <= ulp64)
            && (!powerOfTwoSigmaData || (exact32 && exact64));
    }

    /// <summary>0 &lt; c_skip ≤ 1 (up to diffusers' one-ulp reciprocal rounding) and c_out ≥ 0 for σ ≥ σ_min.</summary>
    [Property]
    public bool Skip_scaling_is_in_zero_one_and_output_scaling_non_negative_above_sigma_min(ScheduleCase c)
    {
        var oneUlpAbove = MathF.BitIncrement(1f);
        foreach (var sigma in c.Schedule.Sigmas.Where(x => x >= F32.Round(c.Config.SigmaMin)))
        {
            var s = EdmScalings.BoundaryCondition(sigma, c.Config);
            if (!(s.CSkip > 0f && s.CSkip <= oneUlpAbove && s.COut >= 0f)) return false;
        }
        return true;
    }

    [Property]
    public bool Noise_scale_is_a_finite_non_negative_number_for_every_valid_config(ScheduleCase c)
    {
        for (var i = 0; i < c.Schedule.Steps; i++)
        {
            var s = StepScalars.At(c.Config, c.Schedule, i);
            if (!(float.IsFinite(s.NoiseScale) && s.NoiseScale >= 0f)) return false;
        }
        return true;
    }

    [Property]
    public Property Sigma_to_t_strictly_increases(ValidConfig c) =>
        Prop.ForAll(Gen.Choose(0, 1_000_000).Two().ToArbitrary(), pair =>
        {
            var (a, b) = pair;
            if (a == b) return true;
            double lo = c.SigmaMin, hi = c.SigmaMax;
            double x = lo + (hi - lo) * Math.Min(a, b) / 1e6, y = lo + (hi - lo) * Math.Max(a, b) / 1e6;
            return x == y || Karras.SigmaToT(x, ScheduleMath.Glibc) < Karras.SigmaToT(y, ScheduleMath.Glibc);
        });

    [Property]
    public bool Clipped_denoised_lies_in_minus_one_one(StepCase c)
    {
        var state = c.State with { Config = Clip(c.State.Config, true) };
        return Scheduler.Step(state, c.ModelOutput, 0.0, c.Sample)
            .Match(o => o.Denoised.Data.ToArray().All(v => v is >= -1f and <= 1f), _ => false);
    }

    [Property]
    public bool One_step_schedules_draw_and_add_no_noise(ValidConfig c, NonNegativeInt seed)
    {
        var shape = Shape.Of(2, 1, 2, 2);
        var x = Tensor<float>.Full(shape, 0.25f + seed.Item % 7);
        var f = Tensor<float>.Full(shape, -0.5f);
        var spec = seed.Item % 2 == 0 ? TimestepSpec.OfSteps(1) : TimestepSpec.OfIndices(seed.Item % c.NumTrainTimesteps);
        // An exhausted recording: any draw would throw, so success proves nothing was drawn.
        var state = Scheduler.Create(c, spec, RecordedNoise.Of()).Match(s => s, e => throw new InvalidOperationException(e.Message));
        return Scheduler.Step(state, f, state.Schedule.Timesteps[0], x).Match(
            o => o.Noise.IsNone && o.Sample.Data.ToArray().Zip(o.Denoised.Data.ToArray()).All(p => p.Item1 == p.Item2 + 0f)
                 && o.Next.Noise == state.Noise,
            _ => false);
    }

    [Property]
    public bool Step_leaves_its_inputs_unchanged_and_repeats_bit_for_bit(StepCase c)
    {
        var x0 = c.Sample.ToArray();
        var f0 = c.ModelOutput.ToArray();
        var a = Scheduler.Step(c.State, c.ModelOutput, 0.0, c.Sample);
        var b = Scheduler.Step(c.State, c.ModelOutput, 0.0, c.Sample);
        return Bits(x0, c.Sample.Data) && Bits(f0, c.ModelOutput.Data)
            && a.IsSucc && b.IsSucc
            && a.Match(p => b.Match(q => p.Sample.Equals(q.Sample) && p.Denoised.Equals(q.Denoised) && p.Next.Equals(q.Next), _ => false), _ => false)
            && c.State.StepIndex == c.State.StepIndex;
    }

    /// <summary>With F = 0 and s_noise = 0 the step is the skip connection alone: c_skip·x, clipped if configured.</summary>
    [Property]
    public bool With_zero_model_output_and_no_noise_the_step_is_the_skip_scaling(StepCase c)
    {
        var config = ConfigValidation.ValidateFin(c.State.Config.Value with { s_noise = 0 }).Match(v => v, e => throw new InvalidOperationException(e.Message));
        var state = c.State with { Config = config };
        var zero = Tensor<float>.Zeros(c.Sample.Shape);
        return Scheduler.Step(state, zero, 0.0, c.Sample).Match(o =>
        {
            var cSkip = o.Scalars.CSkip;
            for (var k = 0; k < c.Sample.Count; k++)
            {
                var d = 0f * o.Scalars.COut + cSkip * c.Sample[k];
                if (config.ClipDenoised) d = StepKernel.Clamp(d);
                // Equal as numbers: with s_noise 0 a negative noise draw leaves −0·scale, so −0 may stay −0.
                if (o.Sample[k] != d) return false;
            }
            return true;
        }, _ => false);
    }

    [Property]
    public bool Step_into_buffers_equals_the_immutable_step(StepCase c)
    {
        var n = c.Sample.Count;
        var noise = new float[n];
        var dest = new float[n];
        var den = new float[n];
        var into = Scheduler.StepInto(c.State, 0.0, c.Sample.Shape, c.ModelOutput.Data, c.Sample.Data, noise, dest, den);
        var pure = Scheduler.Step(c.State, c.ModelOutput, 0.0, c.Sample);
        return into.Match(i => pure.Match(p => Bits(dest, p.Sample.Data) && Bits(den, p.Denoised.Data) && i.Next.Equals(p.Next), _ => false), _ => false);
    }

    [Property]
    public bool The_sample_only_step_equals_the_full_step(StepCase c)
    {
        var lean = Scheduler.StepSample(c.State, c.ModelOutput, 0.0, c.Sample);
        var full = Scheduler.Step(c.State, c.ModelOutput, 0.0, c.Sample);
        return lean.Match(l => full.Match(f => Bits(l.Sample.Data, f.Sample.Data) && l.Next.Equals(f.Next) && l.Scalars == f.Scalars
                                                && l.Diagnostics.SequenceEqual(f.Diagnostics), _ => false),
                          _ => full.IsFail);
    }

    [Property]
    public bool Configs_are_rejected_exactly_when_a_rule_is_broken(AnyConfig any)
    {
        var c = any.Value;
        static bool Pos(double d) => double.IsFinite(d) && d > 0;
        var valid = c.num_train_timesteps >= 2 && Pos(c.sigma_min) && Pos(c.sigma_max) && c.sigma_min < c.sigma_max
                    && Pos(c.sigma_data) && Pos(c.rho) && double.IsFinite(c.s_noise) && c.s_noise >= 0;
        // Issue 15: besides each key's range, the float32 arithmetic must stay finite: σ_d², σ_max² + σ_d²,
        // s_noise·√(σ_max² − σ_min²), and both ends of the Karras schedule.
        var f32 = valid && Float32Finite(c);
        var result = ConfigValidation.Validate(c);
        return f32 == result.IsSuccess && valid == !ConfigValidation.Problems(c).Any();
    }

    private static bool Float32Finite(SchedulerConfig c)
    {
        float sd2 = (float)(c.sigma_data * c.sigma_data), smax = (float)c.sigma_max, smin2 = (float)(c.sigma_min * c.sigma_min);
        double top = Karras.Sigma(0, c.sigma_min, c.sigma_max, c.rho, Cm.Pure.Schedules.Arithmetic.ScheduleMath.Glibc), bottom = Karras.Sigma(1, c.sigma_min, c.sigma_max, c.rho, Cm.Pure.Schedules.Arithmetic.ScheduleMath.Glibc);
        return double.IsFinite(top) && double.IsFinite(bottom) && top > 0 && bottom > 0 && float.IsFinite(sd2)
               && float.IsFinite(smax * smax + sd2) && float.IsFinite((float)c.s_noise * MathF.Sqrt(MathF.Max(smax * smax - smin2, 0f)));
    }

    [Property]
    public bool Every_broken_rule_is_reported_at_once(AnyConfig any)
    {
        var c = any.Value;
        var keys = ConfigValidation.Problems(c).Select(p => p.Key).ToHashSet();
        static bool Pos(double d) => double.IsFinite(d) && d > 0;
        return keys.Contains("num_train_timesteps") == (c.num_train_timesteps < 2)
            && keys.Contains("sigma_min") == !Pos(c.sigma_min)
            && keys.Contains("sigma_data") == !Pos(c.sigma_data)
            && keys.Contains("rho") == !Pos(c.rho)
            && keys.Contains("s_noise") == !(double.IsFinite(c.s_noise) && c.s_noise >= 0)
            && keys.Contains("sigma_max") == (!Pos(c.sigma_max) || (Pos(c.sigma_min) && c.sigma_min >= c.sigma_max));
    }

    [Property]
    public bool Schedule_requests_are_rejected_exactly_when_invalid(AnyRequest r)
    {
        const int n = 40;
        var l = r.Indices;
        var valid = r.Steps is { } s
            ? s >= 1 && s <= n
            : l.Length > 0 && l.Zip(l.Skip(1)).All(p => p.Item2 < p.Item1) && l[0] < n && l[^1] >= 0;
        var result = Schedule.Create(ValidConfig.Default, r.Spec);
        return valid == result.IsSucc && result.Match(_ => true, e => e is InvalidSchedule);
    }

    private static ValidConfig Clip(ValidConfig c, bool clip) =>
        ConfigValidation.ValidateFin(c.Value with { clip_denoised = clip }).Match(v => v, e => throw new InvalidOperationException(e.Message));
}
