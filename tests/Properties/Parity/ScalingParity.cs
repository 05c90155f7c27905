using Cm.Pure.Scalings;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Parity;

/// <summary>Every <c>scalings*.json</c> row: boundary-condition and plain scalings, float32 and float64, bit for bit.</summary>
public sealed class ScalingParity
{
    public static TheoryData<string> Cases => GoldenFiles.Rows(
        from f in GoldenFiles.Discover("diffusers", "scalings")
        let root = GoldenFiles.Diffusers(f)
        from ci in Enumerable.Range(0, root["cases"]!.AsArray().Count)
        let c = root["cases"]![ci]!
        from row in Enumerable.Range(0, c["inputs"]!.AsArray().Count).Select(i => $"{f}|{ci}|inputs|{i}|{c["config_name"]}")
            .Concat(Enumerable.Range(0, c["schedule_n40"]!.AsArray().Count).Select(i => $"{f}|{ci}|schedule_n40|{i}|{c["config_name"]}"))
        select row);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scalings_match_diffusers(string id)
    {
        var p = id.Split('|');
        var c = GoldenFiles.Diffusers(p[0])["cases"]![int.Parse(p[1])]!;
        var config = GoldenFiles.ValidConfig(c["config"]!);
        var row = c[p[2]]![int.Parse(p[3])]!;
        var sigma = Encoded.Parse(row["sigma"]);
        if (sigma.IsFloat32)
        {
            var bc = EdmScalings.BoundaryCondition(sigma.Scalar32, config);
            Bits.Equal(Encoded.Parse(row["bc_c_skip"]), bc.CSkip, "bc c_skip");
            Bits.Equal(Encoded.Parse(row["bc_c_out"]), bc.COut, "bc c_out");
            if (row["c_skip"] is not null)
            {
                var plain = EdmScalings.Edm(sigma.Scalar32, config);
                Bits.Equal(Encoded.Parse(row["c_skip"]), plain.CSkip, "c_skip");
                Bits.Equal(Encoded.Parse(row["c_out"]), plain.COut, "c_out");
            }
        }
        else
        {
            var bc = EdmScalings.BoundaryCondition(sigma.Scalar64, config);
            Bits.Equal(Encoded.Parse(row["bc_c_skip"]), bc.CSkip, "bc c_skip");
            Bits.Equal(Encoded.Parse(row["bc_c_out"]), bc.COut, "bc c_out");
            var plain = EdmScalings.Edm(sigma.Scalar64, config);
            Bits.Equal(Encoded.Parse(row["c_skip"]), plain.CSkip, "c_skip");
            Bits.Equal(Encoded.Parse(row["c_out"]), plain.COut, "c_out");
        }
    }
}
