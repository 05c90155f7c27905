using System.Text.Json.Nodes;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Parity;

/// <summary>Every <c>scale_model_input*.json</c> row on a fresh scheduler: divisor, scaled sample and step index.</summary>
public sealed class ScaleModelInputParity
{
    public static TheoryData<string> Cases => GoldenFiles.Rows(
        from f in GoldenFiles.Discover("diffusers", "scale_model_input")
        let cases = GoldenFiles.Diffusers(f)["cases"]!.AsArray()
        from ci in Enumerable.Range(0, cases.Count)
        let c = cases[ci]!
        from ri in Enumerable.Range(0, c["per_timestep"]!.AsArray().Count)
        select $"{f}|{ci}|{ri}|{c["name"]} {c["sample_dtype"]} i={ri}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scaled_input_matches_diffusers(string id)
    {
        var p = id.Split('|');
        var c = GoldenFiles.Diffusers(p[0])["cases"]![int.Parse(p[1])]!;
        var row = c["per_timestep"]![int.Parse(p[2])]!;
        var state = Scheduler.Create(GoldenFiles.ValidConfig(c["config"]!), GoldenFiles.Spec(c["schedule"]!), RecordedNoise.Of())
            .Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message));
        var t = Encoded.Parse(row["t"]).Scalar64;
        var sample = Encoded.Parse(c["sample"]);
        Bits.Equal(Encoded.Parse(row["sigma"]), state.Schedule.Sigmas[(int)row["i"]!], "sigma");
        if (sample.IsFloat32)
        {
            var r = Scheduler.ScaleModelInput(state, sample.Tensor32(), t).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
            Bits.Equal(Encoded.Parse(row["divisor"]), r.Divisor, "divisor");
            Bits.Equal(Encoded.Parse(row["scaled"]), r.Scaled, "scaled");
            Assert.Equal((int)row["step_index_after"]!, r.Next.StepIndex.IfNone(-1));
        }
        else
        {
            var r = Scheduler.ScaleModelInput(state, sample.Tensor64(), t).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
            Bits.Equal(Encoded.Parse(row["divisor"]), r.Divisor, "divisor");
            Bits.Equal(Encoded.Parse(row["scaled"]), r.Scaled, "scaled");
            Assert.Equal((int)row["step_index_after"]!, r.Next.StepIndex.IfNone(-1));
        }
    }
}
