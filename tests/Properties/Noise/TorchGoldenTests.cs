using System.Globalization;
using System.Text;
using System.Text.Json;
using Cm.Pure.Noise.Cephes;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Tensors;
using Xunit;

namespace Cm.Tests.Noise;

/// <summary>
/// Every case of every <c>torch_cpu_randn*.json</c> golden file (torch-cpu-randn.md §10), one xunit
/// case each: the bits of every call and the final <c>left</c>/<c>next</c>/cached double; and the
/// single-routine <c>kernels</c> vectors (log, sincos, box_muller16; fused and unfused).
/// </summary>
public sealed class TorchGoldenTests
{
    private const string Prefix = "torch_cpu_randn";

    public static TheoryData<GoldenId> Cases()
    {
        var data = new TheoryData<GoldenId>();
        foreach (var file in RngGolden.Files(Prefix))
        {
            var cases = RngGolden.Root(file).GetProperty("cases");
            int i = 0;
            foreach (var c in cases.EnumerateArray())
            {
                var calls = c.GetProperty("calls");
                var summary = string.Join(" ", calls.EnumerateArray().Take(4).Select(Describe));
                if (calls.GetArrayLength() > 4) summary += " …";
                data.Add(new GoldenId($"{file}#cases[{i}] seed={c.GetProperty("seed").GetUInt64()} calls={calls.GetArrayLength()}: {summary}"));
                i++;
            }
        }
        return data;
    }

    private static string Describe(JsonElement call) =>
        "[" + string.Join(",", call.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())) + "]"
        + (call.GetProperty("dtype").GetString() == "float64" ? "f64" : "f32");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Randn_reproduces_golden_case(GoldenId id)
    {
        var (file, key) = RngGolden.Parse(id.Id);
        var (_, index) = RngGolden.PathIndex(key);
        var c = RngGolden.Root(file).GetProperty("cases")[index];
        var g = TorchGenerator.ManualSeed(c.GetProperty("seed").GetUInt64());
        int callNo = 0;
        foreach (var call in c.GetProperty("calls").EnumerateArray())
        {
            var shape = Shape.Of(call.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
            if (call.GetProperty("dtype").GetString() == "float64")
            {
                var expected = call.GetProperty("bits_hex").EnumerateArray().Select(e => RngGolden.Hex64(e.GetString()!)).ToArray();
                (var t, g) = g.Randn64(shape);
                var actual = t.ToArray().Select(BitConverter.DoubleToUInt64Bits).ToArray();
                AssertBits(expected, actual, callNo, v => $"0x{v:x16}");
            }
            else
            {
                var expected = call.GetProperty("bits").EnumerateArray().Select(e => e.GetUInt32()).ToArray();
                (var t, g) = g.Randn32(shape);
                var actual = t.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray();
                AssertBits(expected, actual, callNo, RngGolden.F32);
            }
            callNo++;
        }
        var fs = c.GetProperty("final_state");
        Assert.Equal(fs.GetProperty("mt_left").GetInt32(), g.Left);
        Assert.Equal(fs.GetProperty("mt_next").GetInt32(), g.Next);
        var cached = RngGolden.Optional(fs, "cached_double_normal_hex");
        Assert.Equal(cached?.GetString(), g.CachedNormal.Map(d => BitConverter.DoubleToUInt64Bits(d).ToString("x16")).IfNoneUnsafe((string?)null));
    }

    private static void AssertBits<T>(T[] expected, T[] actual, int call, Func<T, string> show) where T : IEquatable<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        var bad = Enumerable.Range(0, expected.Length).Where(i => !expected[i].Equals(actual[i])).ToArray();
        if (bad.Length == 0) return;
        var sb = new StringBuilder($"call {call}: {bad.Length} of {expected.Length} elements differ; first ones:");
        foreach (var i in bad.Take(5)) sb.Append(CultureInfo.InvariantCulture, $"\n  [{i}] expected {show(expected[i])} got {show(actual[i])}");
        Assert.Fail(sb.ToString());
    }

    // ---------------------------------------------------------------- kernels (§10 "kernels")

    public static TheoryData<GoldenId> KernelCases()
    {
        var data = new TheoryData<GoldenId>();
        foreach (var file in RngGolden.Files(Prefix))
        {
            if (RngGolden.Optional(RngGolden.Root(file), "kernels") is not { } k) continue;
            foreach (var (name, inputs) in new[] { ("log", "x"), ("sincos", "x"), ("box_muller16", "u") })
            {
                if (RngGolden.Optional(k, name) is not { } kernel) continue;
                var labels = RngGolden.Optional(kernel, "labels") is { } ls
                    ? ls.EnumerateArray().GroupBy(l => l.GetProperty("index").GetInt32())
                        .ToDictionary(gr => gr.Key, gr => string.Join("; ", gr.Select(l => l.GetProperty("what").GetString())))
                    : new Dictionary<int, string>();
                int n = kernel.GetProperty(inputs).GetArrayLength();
                foreach (var form in new[] { "avx2_fma", "unfused" })
                    for (int i = 0; i < n; i++)
                        data.Add(new GoldenId($"{file}#kernels.{name}.{form}[{i}]" + (labels.TryGetValue(i, out var w) ? " " + w : "")));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(KernelCases))]
    public void Cephes_kernel_reproduces_golden_vector(GoldenId id)
    {
        var (file, key) = RngGolden.Parse(id.Id);
        var (path, i) = RngGolden.PathIndex(key);
        var parts = path.Split('.'); // kernels, name, form
        var kernel = RngGolden.Root(file).GetProperty("kernels").GetProperty(parts[1]);
        string form = parts[2];
        bool fused = form == "avx2_fma";
        var expected = kernel.GetProperty(form);
        switch (parts[1])
        {
            case "log":
            {
                uint x = kernel.GetProperty("x")[i].GetUInt32();
                uint got = BitConverter.SingleToUInt32Bits(CephesF32.Logc(BitConverter.UInt32BitsToSingle(x), fused));
                Assert.True(expected[i].GetUInt32() == got, $"logc({RngGolden.F32(x)}): expected {RngGolden.F32(expected[i].GetUInt32())} got {RngGolden.F32(got)}");
                break;
            }
            case "sincos":
            {
                uint x = kernel.GetProperty("x")[i].GetUInt32();
                var (s, c) = CephesF32.SinCosc(BitConverter.UInt32BitsToSingle(x), fused);
                uint es = expected.GetProperty("sin")[i].GetUInt32(), ec = expected.GetProperty("cos")[i].GetUInt32();
                uint gs = BitConverter.SingleToUInt32Bits(s), gc = BitConverter.SingleToUInt32Bits(c);
                Assert.True(es == gs && ec == gc,
                    $"sincosc({RngGolden.F32(x)}): expected sin {RngGolden.F32(es)} cos {RngGolden.F32(ec)}, got sin {RngGolden.F32(gs)} cos {RngGolden.F32(gc)}");
                break;
            }
            default:
            {
                var block = kernel.GetProperty("u")[i].EnumerateArray().Select(e => BitConverter.UInt32BitsToSingle(e.GetUInt32())).ToArray();
                TorchBoxMuller.Avx2Block16(block, fused);
                var exp = expected[i].EnumerateArray().Select(e => e.GetUInt32()).ToArray();
                AssertBits(exp, block.Select(BitConverter.SingleToUInt32Bits).ToArray(), 0, RngGolden.F32);
                break;
            }
        }
    }

    [Fact]
    public void Box_muller16_golden_case_block_is_that_cases_first_draws()
    {
        foreach (var file in RngGolden.Files(Prefix))
        {
            if (RngGolden.Optional(RngGolden.Root(file), "kernels") is not { } k) continue;
            var bm = k.GetProperty("box_muller16");
            var gc = bm.GetProperty("golden_case");
            var shape = Shape.Of(gc.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
            var (t, _) = TorchGenerator.ManualSeed(gc.GetProperty("seed").GetUInt64()).Randn32(shape);
            var exp = bm.GetProperty("avx2_fma")[gc.GetProperty("block").GetInt32()].EnumerateArray().Select(e => e.GetUInt32());
            Assert.Equal(exp, t.ToArray().Take(16).Select(BitConverter.SingleToUInt32Bits));
        }
    }

    [Fact]
    public void Seed_42_randn_3_is_the_well_known_0_3367_0_1288_0_2345()
    {
        var (t, _) = TorchGenerator.ManualSeed(42).Randn32(Shape.Of(3));
        Assert.Equal(new[] { 0.3367f, 0.1288f, 0.2345f }, t.ToArray().Select(v => MathF.Round(v, 4)));
    }
}
