using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Xunit;

namespace Cm.Tests.Golden;

/// <summary>
/// Run-time discovery of golden files by schema (the file-name prefix) and a parse cache. A new file
/// of a known schema adds test cases without code changes: test data are "file#key" strings that name
/// a case; the test looks the case up again.
/// </summary>
public static class GoldenFiles
{
    private static readonly ConcurrentDictionary<string, JsonNode> Cache = new();

    /// <summary>Files in <c>shared/golden/&lt;folder&gt;</c> whose names start with <paramref name="prefix"/>.</summary>
    public static IEnumerable<string> Discover(string folder, string prefix) =>
        Directory.EnumerateFiles(SharedFolder.Sub("golden", folder), prefix + "*.json")
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static JsonNode Load(string folder, string file) =>
        Cache.GetOrAdd(folder + "/" + file, _ => JsonNode.Parse(File.ReadAllText(SharedFolder.Sub("golden", folder, file)))!);

    public static JsonNode Diffusers(string file) => Load("diffusers", file);

    /// <summary>A diffusers <c>config</c> object as Cm's record (not yet validated).</summary>
    public static SchedulerConfig Config(JsonNode c) => new(
        (int)c["num_train_timesteps"]!, (double)c["sigma_min"]!, (double)c["sigma_max"]!,
        (double)c["sigma_data"]!, (double)c["s_noise"]!, (double)c["rho"]!, (bool)c["clip_denoised"]!);

    public static ValidConfig ValidConfig(JsonNode c) =>
        ConfigValidation.ValidateFin(Config(c)).Match(v => v, e => throw new Xunit.Sdk.XunitException("golden config invalid: " + e.Message));

    /// <summary>
    /// One theory row per entry of the <c>cases</c> array of every diffusers golden file with the prefix:
    /// <c>file|index|id</c>, so the test list names file and case. <see cref="DiffusersCase"/> looks it up.
    /// </summary>
    public static TheoryData<string> DiffusersCaseRows(string prefix) => Rows(DiffusersCaseIds(prefix));

    /// <summary>The ids of <see cref="DiffusersCaseRows"/>, for filtering before they become rows.</summary>
    public static IEnumerable<string> DiffusersCaseIds(string prefix) =>
        from f in Discover("diffusers", prefix)
        let cases = Diffusers(f)["cases"]!.AsArray()
        from i in Enumerable.Range(0, cases.Count)
        select $"{f}|{i}|{cases[i]!["id"]}";

    /// <summary>The file's root and the case a <see cref="DiffusersCaseRows"/> row names.</summary>
    public static (JsonNode Root, JsonNode Case) DiffusersCase(string row)
    {
        var p = row.Split('|');
        var root = Diffusers(p[0]);
        return (root, root["cases"]![int.Parse(p[1])]!);
    }

    /// <summary>Theory rows: one string id per case.</summary>
    public static TheoryData<string> Rows(IEnumerable<string> ids)
    {
        var data = new TheoryData<string>();
        foreach (var id in ids) data.Add(id);
        return data;
    }

    /// <summary>The rows of every diffusers step-loop case (<c>step_loops_*.json</c>).</summary>
    public static TheoryData<string> StepLoopRows => DiffusersCaseRows("step_loops_");

    /// <summary>The case a <see cref="StepLoopRows"/> row names.</summary>
    public static JsonNode StepLoopCase(string row) => DiffusersCase(row).Case;

    /// <summary>A golden <c>schedule</c> object (<c>num_inference_steps</c> or <c>timesteps</c>) as the request it records.</summary>
    public static Cm.Pure.Schedules.TimestepSpec Spec(JsonNode schedule) => schedule["num_inference_steps"] is JsonNode n
        ? Cm.Pure.Schedules.TimestepSpec.OfSteps((int)n)
        : Cm.Pure.Schedules.TimestepSpec.OfIndices(schedule["timesteps"]!.AsArray().Select(x => (int)x!).ToArray());
}
