using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Pure.Errors;
using Cm.Pure.Schedules;
using Cm.Pure.Schedules.Arithmetic;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Parity;

/// <summary>
/// The SVML kernels alone against every value of <c>diffusers_numpy_avx512/schedules_*.json</c>: each
/// recorded float64 σ before the cast is <c>(hi + r·(lo − hi)) ** rho</c> under <see cref="SvmlPow"/>, each
/// timestep 250·<see cref="SvmlLog"/>(σ + 1e-44), bit for bit; and the golden folder really differs from
/// glibc where its README says (so these checks can fail).
/// </summary>
public sealed class NumpyAvx512KernelParity
{
    private const string Folder = "diffusers_numpy_avx512";

    /// <summary>Every set_timesteps entry (with its config) of every schedules file of the folder.</summary>
    private static IEnumerable<(JsonNode Entry, SchedulerConfig Config)> Entries(string file)
    {
        var root = GoldenFiles.Load(Folder, file);
        IEnumerable<(JsonNode, SchedulerConfig)> Walk(JsonNode node, JsonNode config)
        {
            var c = node["config"] ?? config;
            if (node["set_timesteps"] is JsonArray st)
                foreach (var e in st) yield return (e!, GoldenFiles.Config(c));
            if (node["cases"] is JsonArray cs)
                foreach (var k in cs)
                    if (k!["sigmas_float64_before_cast_derived"] is not null) yield return (k, GoldenFiles.Config(c));
                    else foreach (var x in Walk(k, c)) yield return x;
        }
        return Walk(root, root["config"]!);
    }

    private static long B(double x) => BitConverter.DoubleToInt64Bits(x);

    [Fact]
    public void Svml_pow_and_log_reproduce_every_recorded_sigma_and_timestep()
    {
        var checkedValues = 0;
        foreach (var file in GoldenFiles.Discover(Folder, "schedules_"))
            foreach (var (e, c) in Entries(file))
            {
                var ramp = Encoded.Parse(e["ramp_derived"]).F64();
                var sig64 = Encoded.Parse(e["sigmas_float64_before_cast_derived"]).F64();
                var t = Encoded.Parse(e["timesteps"]).F64();
                double lo = Math.Pow(c.sigma_min, 1.0 / c.rho), hi = Math.Pow(c.sigma_max, 1.0 / c.rho);
                for (var j = 0; j < ramp.Length; j++)
                {
                    var sigma = SvmlPow.Pow(hi + ramp[j] * (lo - hi), c.rho);
                    Assert.True(B(sig64[j]) == B(sigma), $"{file} sigma {j}: expected 0x{B(sig64[j]):x16}, got 0x{B(sigma):x16}");
                    var ts = 250.0 * SvmlLog.Log(sigma + 1e-44);
                    Assert.True(B(t[j]) == B(ts), $"{file} timestep {j}: expected 0x{B(t[j]):x16}, got 0x{B(ts):x16}");
                    checkedValues++;
                }
            }
        Assert.True(checkedValues >= 1600, $"only {checkedValues} values checked");
    }

    /// <summary>README: default schedules differ from glibc in 247 of 820 float64 sigmas and 265 of 860 timesteps.</summary>
    [Fact]
    public void The_default_schedules_differ_from_glibc_where_the_readme_says()
    {
        int sigmaDiffs = 0, sigmas = 0, tDiffs = 0, ts = 0;
        foreach (var (e, c) in Entries("schedules_default.json"))
        {
            var ramp = Encoded.Parse(e["ramp_derived"]).F64();
            var sig64 = Encoded.Parse(e["sigmas_float64_before_cast_derived"]).F64();
            var t = Encoded.Parse(e["timesteps"]).F64();
            for (var j = 0; j < ramp.Length; j++, sigmas++, ts++)
            {
                var glibc = Karras.Sigma(ramp[j], c.sigma_min, c.sigma_max, c.rho, ScheduleMath.Glibc);
                if (B(sig64[j]) != B(glibc)) sigmaDiffs++;
                if (B(t[j]) != B(Karras.SigmaToT(glibc, ScheduleMath.Glibc))) tDiffs++;
            }
        }
        var init = GoldenFiles.Load(Folder, "schedules_default.json")["init"]!;
        var initT = Encoded.Parse(init["timesteps"]).F64();
        var trainingRamp = Karras.TrainingRamp(initT.Length);
        for (var j = 0; j < initT.Length; j++, ts++)
            if (B(initT[j]) != B(Karras.SigmaToT(Karras.Sigma(trainingRamp[j], 0.002, 80.0, 7.0, ScheduleMath.Glibc), ScheduleMath.Glibc))) tDiffs++;
        Assert.Equal((247, 820), (sigmaDiffs, sigmas));
        Assert.Equal((265, 860), (tDiffs, ts));
    }

    [Fact]
    public void A_nan_passes_through_with_its_sign_as_in_the_kernels()
    {
        var negativeNan = BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8000000000000UL));
        Assert.Equal(unchecked((long)0xFFF8000000000000UL), B(SvmlPow.Pow(negativeNan, 7.0)));
        Assert.Equal(unchecked((long)0xFFF8000000000000UL), B(SvmlLog.Log(negativeNan)));
    }

    [Theory]
    [InlineData(-1.0, 7.0)]
    [InlineData(0.0, 7.0)]
    [InlineData(double.PositiveInfinity, 7.0)]
    [InlineData(2.0, 2000.0)]
    public void Pow_outside_the_main_path_is_refused_not_guessed(double x, double y) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SvmlPow.Pow(x, y));

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    [InlineData(double.PositiveInfinity)]
    public void Log_outside_the_main_path_is_refused_not_guessed(double x) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SvmlLog.Log(x));

    [Fact]
    public void Subnormal_arguments_are_normalised_like_getmant_and_getexp()
    {
        var tiny = 5e-320;
        Assert.Equal(Math.Log(tiny), SvmlLog.Log(tiny), 1e-12);
        Assert.Equal(1.0, SvmlPow.Pow(tiny, 0.3) / Math.Pow(tiny, 0.3), 1e-14);
    }

    /// <summary>numpy turns <c>a ** y</c> for y = 1, −1, 0, ½, 2 into copy, reciprocal, ones, sqrt and square.</summary>
    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(2.0)]
    public void The_fast_exponents_are_numpys_exact_operations(double y)
    {
        foreach (var x in new[] { 0.41, 1.0 / 3.0, 1.87, 7.3 })
        {
            var expected = y switch { 0.5 => Math.Sqrt(x), 1.0 => x, _ => x * x };
            Assert.Equal(B(expected), B(ScheduleMath.NumpyAvx512.ArrayPower(x, y)));
        }
    }

    [Theory]
    [InlineData(1e-310, 80.0, 7.0)]
    [InlineData(0.002, 1e308, 7.0)]
    [InlineData(0.002, 80.0, 0.001)]
    public void Configs_beyond_the_main_path_are_rejected_under_numpy_avx512_only(double smin, double smax, double rho)
    {
        // Such configs are now refused by the config validation itself, under every arithmetic: their float32
        // schedule is not finite (Float32Range). The SVML main-path guard (ScheduleMathOutOfRange, 1010) stays as a
        // second line; both layers must refuse, and neither may accept under numpy-avx512.
        var config = SchedulerConfig.Default with { sigma_min = smin, sigma_max = smax, rho = rho };
        var validated = ConfigValidation.ValidateFin(config);
        Assert.True(validated.IsFail, "the float32 range check accepted a config beyond the kernels' main path");
        Assert.Contains("Karras schedule is finite", validated.Match(_ => "", e => e.Message));
        Assert.True(validated.Bind(v => v.WithScheduleMath(ScheduleMath.NumpyAvx512)).IsFail);
    }
}
