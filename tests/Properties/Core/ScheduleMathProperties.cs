using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Schedules.Arithmetic;
using FsCheck;
using FsCheck.Xunit;

namespace Cm.Tests.Core;

/// <summary>
/// The two schedule arithmetics on ≥ 500 random valid configs and schedules: they may differ, but never by
/// more than one ulp of error in each kernel's result can explain.
/// </summary>
/// <remarks>
/// Derivation. Both variants compute the base b = hi + r·(lo − hi) identically (Python float powers, then
/// float64 ops). If each kernel's power is within one ulp of b^ρ, the two float64 σ differ by at most
/// <b>2 ulps</b>; two doubles that close round to float32 values at most <b>1 float32 ulp</b> apart (2 double
/// ulps are far below a float32 ulp, so at most one float32 rounding boundary lies between them). For t:
/// u = σ + 10⁻⁴⁴ equals σ here (σ ≥ 10⁻⁴), so |ln u − ln u′| ≤ 2·ulp(σ)/σ ≤ 2⁻⁵¹; each log kernel adds at
/// most one ulp(L) (L = ln u), so |L − L′| ≤ 2⁻⁵¹ + 2·ulp(L); t = rn(250·L) adds half an ulp(t) per side,
/// and 250·ulp(L) &lt; 2·ulp(t) because ulp(t) ≥ 128·ulp(L). Hence <b>|Δt| ≤ 250·2⁻⁵¹ + 5·ulp(t)</b>, with
/// ulp(t) taken at the larger |t|.
/// </remarks>
[Properties(Arbitrary = [typeof(Arbitraries)], MaxTest = 500)]
public sealed class ScheduleMathProperties
{
    private static long Ordered(double x)
    {
        var b = BitConverter.DoubleToInt64Bits(x);
        return b < 0 ? long.MinValue - b : b;
    }

    private static long Ulps(double a, double b) => Math.Abs(Ordered(a) - Ordered(b));

    private static double Ulp(double x) => Math.BitIncrement(Math.Abs(x)) - Math.Abs(x);

    private static bool Within(double t, double u) =>
        Math.Abs(t - u) <= 250.0 * Math.ScaleB(1.0, -51) + 5.0 * Ulp(Math.Max(Math.Abs(t), Math.Abs(u)));

    /// <summary>σ₆₄ ≤ 2 ulps, σ₃₂ ≤ 1 float32 ulp, |Δt| ≤ 250·2⁻⁵¹ + 5·ulp(t): one ulp per kernel, propagated.</summary>
    [Property]
    public bool Variants_differ_at_most_by_one_ulp_per_kernel_propagated_sigma64_2ulp_sigma32_1ulp_t_250x2powm51_plus_5ulp(ScheduleCase c)
    {
        var glibc = c.Config;
        var avx = glibc.WithScheduleMath(ScheduleMath.NumpyAvx512).Match(v => v, e => throw new InvalidOperationException(e.Message));
        var a = Schedule.Create(glibc, c.Spec).Match(s => s, e => throw new InvalidOperationException(e.Message));
        var b = Schedule.Create(avx, c.Spec).Match(s => s, e => throw new InvalidOperationException(e.Message));
        var ramp = Schedule.Ramp(glibc.NumTrainTimesteps, a.Indices);
        for (var j = 0; j < ramp.Length; j++)
        {
            var s1 = Karras.Sigma(ramp[j], glibc.SigmaMin, glibc.SigmaMax, glibc.Rho, ScheduleMath.Glibc);
            var s2 = Karras.Sigma(ramp[j], glibc.SigmaMin, glibc.SigmaMax, glibc.Rho, ScheduleMath.NumpyAvx512);
            if (Ulps(s1, s2) > 2) return false;
            if (Math.Abs(BitConverter.SingleToInt32Bits(a.Sigmas[j]) - BitConverter.SingleToInt32Bits(b.Sigmas[j])) > 1) return false;
            if (!Within(a.Timesteps[j], b.Timesteps[j])) return false;
        }
        var ta = TrainingSchedule.For(glibc);
        var tb = TrainingSchedule.For(avx);
        for (var i = 0; i < ta.Sigmas.Length; i++)
            if (Ulps(ta.Sigmas[i], tb.Sigmas[i]) > 2 || !Within(ta.Timesteps[i], tb.Timesteps[i])) return false;
        return a.Indices.SequenceEqual(b.Indices);
    }

    /// <summary>The bound is not vacuous: on the default 40-step schedule the variants do differ.</summary>
    [Xunit.Fact]
    public void The_variants_differ_on_the_default_schedule()
    {
        var avx = ValidConfig.Default.WithScheduleMath(ScheduleMath.NumpyAvx512).Match(v => v, e => throw new InvalidOperationException(e.Message));
        var a = Schedule.Create(ValidConfig.Default, TimestepSpec.OfSteps(40)).Match(s => s, e => throw new InvalidOperationException(e.Message));
        var b = Schedule.Create(avx, TimestepSpec.OfSteps(40)).Match(s => s, e => throw new InvalidOperationException(e.Message));
        Xunit.Assert.NotEqual(a, b);
        Xunit.Assert.Contains(Enumerable.Range(0, 40), j => a.Timesteps[j] != b.Timesteps[j]);
    }
}
