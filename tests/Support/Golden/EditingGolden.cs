using System.Text.Json.Nodes;
using Cm.Pure.Editing;
using Cm.Pure.Tensors;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Editing;

/// <summary>
/// The cases of every <c>*.json</c> with a <c>cases</c> array in <c>shared/golden/editing</c> (a new file of
/// the same schema adds rows without code changes), and the replacement each case's task means, built
/// with the recorded float32 Q of the README's bit-exact recipe.
/// </summary>
public static class EditingGolden
{
    public const string Folder = "editing";

    /// <summary>Rows <c>file|index|id</c> for every case of every editing file.</summary>
    public static TheoryData<string> Rows() => GoldenFiles.Rows(RowIds());

    /// <summary>The row ids of <see cref="Rows"/>.</summary>
    public static IEnumerable<string> RowIds() =>
        from f in GoldenFiles.Discover(Folder, "")
        let root = GoldenFiles.Load(Folder, f)
        where root["cases"] is JsonArray
        let cases = root["cases"]!.AsArray()
        from i in Enumerable.Range(0, cases.Count)
        select $"{f}|{i}|{cases[i]!["id"]}";

    /// <summary>Rows of the editing tasks only (not plain sampling).</summary>
    public static TheoryData<string> EditRows() => GoldenFiles.Rows(
        RowIds().Where(r => (string)Case(r)["task"]! != "sampling"));

    /// <summary>The reference images; plain sampling has none, and any reference gives its bits under an all-unknown mask.</summary>
    public static Tensor<float> Reference(JsonNode c) => c["images"] is null ? Tensor<float>.Full(ShapeOf(c), 0.25f) : T(c, "images");

    public static JsonNode Case(string row)
    {
        var p = row.Split('|');
        return GoldenFiles.Load(Folder, p[0])["cases"]![int.Parse(p[1])]!;
    }

    public static Tensor<float> T(JsonNode node, string key) => Encoded.Parse(node[key]).Tensor32();

    public static Shape ShapeOf(JsonNode c) => Shape.Of(c["shape"]!.AsArray().Select(d => (int)d!).ToArray());

    /// <summary>The recorded float32 Q of a basis in <c>orthogonal_matrices.json</c>.</summary>
    public static OrthonormalBasis RecordedBasis(string key)
    {
        var q = Encoded.Parse(GoldenFiles.Load(Folder, "orthogonal_matrices.json")[key]!["Q_float32"]);
        return Ok(OrthonormalBasis.Create(q.Shape[0], q.F32()));
    }

    public static float[] RecordedQ64AsF32(string key) =>
        Encoded.Parse(GoldenFiles.Load(Folder, "orthogonal_matrices.json")[key]!["Q_float64"]).F64().Select(d => (float)d).ToArray();

    /// <summary>
    /// The case's replacement and whether the loop clamps: openai's tasks clamp; plain sampling is the
    /// edit loop with an all-unknown mask and no clamp.
    /// </summary>
    public static (Replacement Replacement, bool Clamp) ReplacementOf(JsonNode c, bool recordedBasis = true)
    {
        var shape = ShapeOf(c);
        return (string)c["task"]! switch
        {
            "inpainting" => (new Replacement.Inpaint(Ok(EditMask.FromTensor(T(c, "mask")))), true),
            "colorization" => (Replacements.Colorization(recordedBasis ? CaseBasis(c) : EditBases.Luminance), true),
            "superres" => (Replacements.SuperResolution(recordedBasis ? RecordedBasis("superres") : Ok(EditBases.Patch(8)), 8), true),
            "sampling" => (new Replacement.Inpaint(EditMask.Uniform(Shape.Of(shape[1], shape[2], shape[3]), known: false)), false),
            var t => throw new Xunit.Sdk.XunitException($"unknown task '{t}' in the editing golden files"),
        };
    }

    private static OrthonormalBasis CaseBasis(JsonNode c)
    {
        var q = Encoded.Parse(c["Q_float32"]);
        return Ok(OrthonormalBasis.Create(q.Shape[0], q.F32()));
    }

    public static T Ok<T>(LanguageExt.Fin<T> f) => f.Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));

    public static KarrasEditSchedule Schedule(JsonNode c)
    {
        var k = c["config"]!;
        return Ok(KarrasEditSchedule.Create((double)k["t_min"]!, (double)k["t_max"]!, (double)k["rho"]!, (int)k["steps"]!,
            k["ts"]!.AsArray().Select(x => (int)x!)));
    }
}
