using System.Text.Json.Nodes;
using Cm.Runtime.Models.Safetensors;
using Cm.Runtime.Models.Unet;
using Cm.Tests.Golden;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Unet;

/// <summary>
/// Discovery of the UNet golden files (<c>shared/golden/unet/*.json</c> with <c>cases</c> and a
/// <c>config_json_file</c>: a new file of that schema adds test rows without code changes) and the
/// README's tolerance: <c>max |port − golden| ≤ 2e-5 · max(1, max |golden|)</c>.
/// </summary>
public static class UnetGolden
{
    /// <summary>The README's relative bound ("Numeric tolerance", Recommendation).</summary>
    public const double Tolerance = 2e-5;

    public static string Dir(params string[] parts) => SharedFolder.Sub(["golden", "unet", .. parts]);

    /// <summary>Forward-case files: every JSON in golden/unet whose root has <c>cases</c> and <c>config_json_file</c>.</summary>
    public static IEnumerable<string> ForwardFiles() =>
        GoldenFiles.Discover("unet", "").Where(f =>
        {
            var root = GoldenFiles.Load("unet", f);
            return root is JsonObject o && o.ContainsKey("cases") && o.ContainsKey("config_json_file");
        });

    /// <summary>One row per case: <c>file|index|id</c>.</summary>
    public static IEnumerable<string> CaseIds() =>
        from f in ForwardFiles()
        let cases = GoldenFiles.Load("unet", f)["cases"]!.AsArray()
        from i in Enumerable.Range(0, cases.Count)
        select $"{f}|{i}|{cases[i]!["id"]}";

    public static (JsonNode Root, JsonNode Case) Case(string row)
    {
        var p = row.Split('|');
        var root = GoldenFiles.Load("unet", p[0]);
        return (root, root["cases"]![int.Parse(p[1])]!);
    }

    /// <summary>The model a golden file describes, loaded from its config.json and safetensors file.</summary>
    public static UnetModel LoadModel(JsonNode root)
    {
        var config = Dir((string)root["config_json_file"]!);
        var weights = Dir((string)root["weights"]!["file"]!);
        return UnetModel.Load(config, weights, torch.CPU).Match(m => m, e => throw new Xunit.Sdk.XunitException(e.Message));
    }

    public static torch.Tensor Tensor(Encoded e) =>
        torch.tensor(e.F32(), e.Shape.Select(d => (long)d).ToArray(), dtype: torch.float32);

    public static float[] Floats(torch.Tensor t)
    {
        using var c = t.detach().cpu().contiguous().to(torch.float32);
        return c.data<float>().ToArray();
    }

    /// <summary>Asserts the README's tolerance; returns the max |difference| for reporting.</summary>
    public static double AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, golden has {expected.Length}");
        double maxAbs = 0, maxDiff = 0;
        var worst = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(expected[i]));
            var d = Math.Abs((double)actual[i] - expected[i]);
            if (!(d <= maxDiff)) { maxDiff = d; worst = i; }
        }
        var bound = Tolerance * Math.Max(1.0, maxAbs);
        Assert.True(maxDiff <= bound,
            $"{what}: max |Cm − golden| = {maxDiff:E3} at [{worst}] (Cm {actual[Math.Max(worst, 0)]:R}, golden {expected[Math.Max(worst, 0)]:R}) exceeds {bound:E3}");
        return maxDiff;
    }

    /// <summary>A recorded activation <c>&lt;case id&gt;/&lt;module name&gt;</c> from the golden activations file.</summary>
    public static float[] Activation(JsonNode root, string caseId, string name)
    {
        var header = Headers.GetOrAdd((string)root["activations_file"]!["file"]!, f =>
            SafetensorsHeader.Read(Dir(f)).Match(h => h, e => throw new Xunit.Sdk.XunitException(e.Message)));
        return SafetensorsLoader.ReadFloats(header, $"{caseId}/{name}").Match(v => v, e => throw new Xunit.Sdk.XunitException(e.Message));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SafetensorsHeader> Headers = new();
}
