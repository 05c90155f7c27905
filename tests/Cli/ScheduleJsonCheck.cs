using System.Globalization;
using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>Checks a <c>cm schedule --format json</c> document against the pure core, bit for bit.</summary>
public static class ScheduleJsonCheck
{
    public static void MatchesCore(string json, ValidConfig config, TimestepSpec spec)
    {
        var schedule = Schedule.Create(config, spec).Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message));
        var doc = JsonNode.Parse(json)!;
        Assert.Equal("cm.schedule/1", (string)doc["schema"]!);
        Assert.Equal(schedule.Steps, (int)doc["steps_count"]!);
        Assert.Equal(schedule.Indices, doc["indices"]!.AsArray().Select(x => (int)x!));

        Assert.Equal(schedule.Timesteps.Select(Bits64), doc["timesteps_bits"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(schedule.Timesteps.Select(BitConverter.DoubleToInt64Bits), doc["timesteps"]!.AsArray().Select(x => BitConverter.DoubleToInt64Bits(Num(x))));
        Assert.Equal(schedule.Sigmas.Select(Bits32), doc["sigmas_bits"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(schedule.Sigmas.Select(BitConverter.SingleToInt32Bits), doc["sigmas"]!.AsArray().Select(x => BitConverter.SingleToInt32Bits((float)Num(x))));

        var steps = doc["steps"]!.AsArray();
        Assert.Equal(schedule.Steps, steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var s = StepScalars.At(config, schedule, i);
            var row = steps[i]!;
            Assert.Equal(i, (int)row["i"]!);
            Assert.Equal(Bits64(s.Timestep), (string)row["timestep_bits"]!);
            foreach (var (name, value) in new[] { ("sigma", s.Sigma), ("sigma_next", s.SigmaNext), ("sigma_hat", s.SigmaHat),
                         ("noise_scale", s.NoiseScale), ("c_skip", s.CSkip), ("c_out", s.COut), ("input_divisor", s.InputDivisor) })
            {
                Assert.Equal(Bits32(value), (string)row[name + "_bits"]!);
                Assert.Equal(BitConverter.SingleToInt32Bits(value), BitConverter.SingleToInt32Bits((float)Num(row[name])));
                Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(Num(row[name])));
            }
            Assert.Equal(s.DrawsNoise, (bool)row["draws_noise"]!);
        }
    }

    private static double Num(JsonNode? n) => double.Parse(n!.ToJsonString(), CultureInfo.InvariantCulture);
    private static string Bits64(double d) => "0x" + BitConverter.DoubleToUInt64Bits(d).ToString("x16", CultureInfo.InvariantCulture);
    private static string Bits32(float f) => "0x" + BitConverter.SingleToUInt32Bits(f).ToString("x8", CultureInfo.InvariantCulture);
}
