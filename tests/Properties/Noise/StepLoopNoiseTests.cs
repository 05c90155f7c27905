using System.Text.Json;
using Cm.Pure.Noise;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Tensors;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Noise;

/// <summary>
/// The diffusers step-loop goldens (<c>golden/diffusers/step_loops_*.json</c>) recorded their
/// <c>initial_randn</c> and every step's <c>noise</c>. These tests re-create all of them from the seeds
/// alone with <see cref="TorchNoise"/>: "shared" mode is one generator (the initial draw, then one draw
/// per step that draws noise); "separate" mode seeds the initial draw with <c>sample_seed</c> and the
/// step noise with <c>noise_seed</c>.
/// </summary>
public sealed class StepLoopNoiseTests
{
    private static string Folder => SharedFolder.Sub("golden", "diffusers");

    public static TheoryData<GoldenId> Cases()
    {
        var data = new TheoryData<GoldenId>();
        foreach (var path in Directory.EnumerateFiles(Folder, "step_loops_*.json").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            int i = 0;
            foreach (var c in Load(file).GetProperty("cases").EnumerateArray())
                data.Add(new GoldenId($"{file}#cases[{i++}] {c.GetProperty("id").GetString()}"));
        }
        return data;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonDocument> Docs = new();

    private static JsonElement Load(string file) =>
        Docs.GetOrAdd(file, f => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, f)))).RootElement;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Torch_noise_recreates_the_recorded_initial_randn_and_step_noise(GoldenId id)
    {
        var (file, key) = RngGolden.Parse(id.Id);
        var (_, index) = RngGolden.PathIndex(key);
        var c = Load(file).GetProperty("cases")[index];
        var rng = c.GetProperty("rng");
        bool shared = rng.GetProperty("mode").GetString() == "shared";
        INoise sample = TorchNoise.FromSeed(shared ? rng.GetProperty("seed").GetUInt64() : rng.GetProperty("sample_seed").GetUInt64());

        sample = DrawAndCompare(sample, c.GetProperty("initial_randn"), "initial_randn");
        INoise steps = shared ? sample : TorchNoise.FromSeed(rng.GetProperty("noise_seed").GetUInt64());
        int drawn = 0;
        foreach (var step in c.GetProperty("steps").EnumerateArray())
        {
            if (!step.GetProperty("noise_drawn").GetBoolean())
            {
                Assert.Equal(JsonValueKind.Null, step.GetProperty("noise").ValueKind);
                continue;
            }
            steps = DrawAndCompare(steps, step.GetProperty("noise"), $"step {step.GetProperty("i").GetInt32()} noise");
            drawn++;
        }
        Assert.True(drawn > 0 || c.GetProperty("steps").GetArrayLength() <= 1, "a multi-step loop drew no noise");
    }

    private static INoise DrawAndCompare(INoise noise, JsonElement recorded, string what)
    {
        var shape = Shape.Of(recorded.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
        var expected = recorded.GetProperty("bits").EnumerateArray().Select(b => RngGolden.Hex64(b.GetString()!)).ToArray();
        if (recorded.GetProperty("dtype").GetString() == "float64")
        {
            var (t, next) = noise.Draw64(shape).Ok();
            Assert.True(expected.SequenceEqual(t.ToArray().Select(BitConverter.DoubleToUInt64Bits)), $"{what} (float64) differs");
            return next;
        }
        else
        {
            var (t, next) = noise.Draw32(shape).Ok();
            Assert.True(expected.SequenceEqual(t.ToArray().Select(v => (ulong)BitConverter.SingleToUInt32Bits(v))), $"{what} (float32) differs");
            return next;
        }
    }
}
