using System.Text.Json;
using Cm.Pure.Noise.Philox;
using Xunit;

namespace Cm.Tests.Noise;

/// <summary>
/// Every entry of every <c>philox4x32_10*.json</c> golden file (philox.md §5), one xunit case each:
/// known answers, (seed, stream, block) words, uniforms, Box–Muller edges and normal ranges.
/// </summary>
public sealed class PhiloxGoldenTests
{
    private static readonly string[] Sections = ["kat", "blocks", "uniforms", "box_muller_edges", "normals"];

    public static TheoryData<GoldenId> Cases()
    {
        var data = new TheoryData<GoldenId>();
        foreach (var file in RngGolden.Files("philox4x32_10"))
        {
            var root = RngGolden.Root(file);
            foreach (var section in Sections)
            {
                if (RngGolden.Optional(root, section) is not { } list) continue;
                int i = 0;
                foreach (var e in list.EnumerateArray())
                    data.Add(new GoldenId($"{file}#{section}[{i++}] {Summary(section, e)}"));
            }
        }
        return data;
    }

    private static string Summary(string section, JsonElement e) => section switch
    {
        "kat" => $"ctr={string.Join(" ", e.GetProperty("ctr").EnumerateArray().Select(x => x.GetString()))} key={string.Join(" ", e.GetProperty("key").EnumerateArray().Select(x => x.GetString()))}",
        "blocks" => $"seed={e.GetProperty("seed").GetUInt64()} stream={e.GetProperty("stream").GetUInt64()} blocks={string.Join(",", e.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("block").GetUInt64()))}",
        "uniforms" => $"word={e.GetProperty("word").GetString()}",
        "box_muller_edges" => $"wa={e.GetProperty("wa").GetString()} wb={e.GetProperty("wb").GetString()}",
        _ => $"seed={e.GetProperty("seed").GetUInt64()} stream={e.GetProperty("stream").GetUInt64()} start={e.GetProperty("start").GetUInt64()} count={e.GetProperty("count").GetInt32()}",
    };

    private static Philox4x32Words Words(JsonElement hexList)
    {
        var w = hexList.EnumerateArray().Select(RngGolden.Hex32).ToArray();
        return new Philox4x32Words(w[0], w[1], w[2], w[3]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Philox_reproduces_golden_entry(GoldenId id)
    {
        var (file, key) = RngGolden.Parse(id.Id);
        var (section, i) = RngGolden.PathIndex(key);
        var e = RngGolden.Root(file).GetProperty(section)[i];
        switch (section)
        {
            case "kat":
            {
                var k = e.GetProperty("key").EnumerateArray().Select(RngGolden.Hex32).ToArray();
                Assert.Equal(10, e.GetProperty("rounds").GetInt32());
                Assert.Equal(Words(e.GetProperty("out")), Philox4x32.Block(Words(e.GetProperty("ctr")), k[0], k[1]));
                break;
            }
            case "blocks":
            {
                ulong seed = e.GetProperty("seed").GetUInt64(), stream = e.GetProperty("stream").GetUInt64();
                foreach (var b in e.GetProperty("blocks").EnumerateArray())
                {
                    ulong block = b.GetProperty("block").GetUInt64();
                    var k = b.GetProperty("key").EnumerateArray().Select(RngGolden.Hex32).ToArray();
                    // The documented mapping (§2) gives the listed counter and key ...
                    Assert.Equal(Words(b.GetProperty("ctr")), new Philox4x32Words((uint)block, (uint)(block >> 32), (uint)stream, (uint)(stream >> 32)));
                    Assert.Equal(((uint)seed, (uint)(seed >> 32)), (k[0], k[1]));
                    // ... and the words.
                    Assert.Equal(Words(b.GetProperty("words")), Philox4x32.Words(seed, stream, block));
                }
                break;
            }
            case "uniforms":
            {
                uint w = RngGolden.Hex32(e.GetProperty("word"));
                Assert.Equal(e.GetProperty("u01_closed1_bits").GetUInt32(), BitConverter.SingleToUInt32Bits(PhiloxUniform.Closed1(w)));
                Assert.Equal(e.GetProperty("u01_open1_bits").GetUInt32(), BitConverter.SingleToUInt32Bits(PhiloxUniform.Open1(w)));
                break;
            }
            case "box_muller_edges":
            {
                var (z0, z1) = PhiloxNormal.BoxMuller(RngGolden.Hex32(e.GetProperty("wa")), RngGolden.Hex32(e.GetProperty("wb")));
                Assert.Equal(
                    (RngGolden.F32(e.GetProperty("z0_bits").GetUInt32()), RngGolden.F32(e.GetProperty("z1_bits").GetUInt32())),
                    (RngGolden.F32(BitConverter.SingleToUInt32Bits(z0)), RngGolden.F32(BitConverter.SingleToUInt32Bits(z1))));
                break;
            }
            default:
            {
                var expected = e.GetProperty("bits").EnumerateArray().Select(x => RngGolden.F32(x.GetUInt32())).ToArray();
                var got = new float[e.GetProperty("count").GetInt32()];
                PhiloxNormal.Fill(e.GetProperty("seed").GetUInt64(), e.GetProperty("stream").GetUInt64(), e.GetProperty("start").GetUInt64(), got);
                Assert.Equal(expected, got.Select(v => RngGolden.F32(BitConverter.SingleToUInt32Bits(v))));
                break;
            }
        }
    }
}
