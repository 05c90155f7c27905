using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Pure.Errors;
using Cm.Pure.Schedules;
using Cm.Pure.Schedules.Arithmetic;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Parity;

/// <summary>
/// Every <c>schedules_*.json</c> of every diffusers golden folder: the construction-time schedule and every
/// <c>set_timesteps</c> entry, bit for bit under the folder's schedule arithmetic (glibc for
/// <c>diffusers/</c>, numpy-avx512 for <c>diffusers_numpy_avx512/</c>). Where diffusers accepts nonsense (N = 1, negative indices), Cm must reject it, and the
/// underlying Karras arithmetic must still match the recorded values.
/// </summary>
public sealed class ScheduleParity
{
    public static TheoryData<string> Cases => GoldenFiles.Rows(
        from set in GoldenFiles.DiffusersSets
        from f in GoldenFiles.Discover(set.Folder, "schedules_")
        from id in Walk(f, GoldenFiles.Load(set.Folder, f), "")
        select $"{set.Folder}|{id}");

    private static IEnumerable<string> Walk(string file, JsonNode node, string pointer)
    {
        if (node["init"] is not null) yield return $"{file}|{pointer}/init|{Label(node)}init";
        if (node["set_timesteps"] is JsonArray st)
            for (var i = 0; i < st.Count; i++) yield return $"{file}|{pointer}/set_timesteps/{i}|{Label(node)}{Spec(st[i]!)}";
        if (node["cases"] is JsonArray cs)
            for (var i = 0; i < cs.Count; i++)
            {
                if (cs[i]!["sigmas"] is not null) yield return $"{file}|{pointer}/cases/{i}|{Spec(cs[i]!)}";
                else foreach (var id in Walk(file, cs[i]!, $"{pointer}/cases/{i}")) yield return id;
            }
    }

    private static string Label(JsonNode n) => n["name"] is JsonNode name ? $"{name} " : "";

    private static string Spec(JsonNode e) => e["num_inference_steps"] is JsonNode n
        ? $"n={n}" : $"timesteps=[{string.Join(",", e["custom_timesteps_arg"]!.AsArray().Select(x => (int)x!))}]";

    [Theory]
    [MemberData(nameof(Cases))]
    public void Schedule_matches_diffusers(string id)
    {
        var parts = id.Split('|');
        var (folder, file, pointer) = (parts[0], parts[1], parts[2]);
        var math = GoldenFiles.MathOf(folder);
        var root = GoldenFiles.Load(folder, file);
        var (entry, config) = Resolve(root, pointer);
        var raw = GoldenFiles.Config(config);
        var validation = ConfigValidation.ValidateFin(raw).Bind(v => v.WithScheduleMath(math));

        if (pointer.EndsWith("/init", StringComparison.Ordinal))
        {
            CheckInit(entry, raw, math);
            validation.Match(
                Succ: v => Assert.Equal(TrainingSchedule.For(v).Sigmas.Select(BitConverter.DoubleToInt64Bits),
                    Encoded.Parse(entry["sigmas"]).F64().Select(BitConverter.DoubleToInt64Bits)),
                Fail: e => Assert.IsType<InvalidConfig>(e));
            return;
        }

        var spec = entry["num_inference_steps"] is JsonNode n
            ? TimestepSpec.OfSteps((int)n)
            : TimestepSpec.OfIndices(entry["custom_timesteps_arg"]!.AsArray().Select(x => (int)x!).ToArray());
        var indices = entry["index_timesteps_derived"]!.AsArray().Select(x => (int)x!).ToImmutableArray();
        CheckArithmetic(entry, raw, indices, math);

        var deliberatelyRejected = raw.num_train_timesteps < 2 || indices.Any(i => i < 0);
        var schedule = validation.Bind(v => Schedule.Create(v, spec));
        if (deliberatelyRejected)
        {
            // diffusers accepts these (NaN schedule for N = 1, σ above σ_max for negative indices); Cm says why not.
            var error = schedule.Match(_ => throw new Xunit.Sdk.XunitException("Cm accepted an input it must reject"), e => e);
            Assert.True(error is InvalidConfig or InvalidSchedule, error.GetType().Name);
            return;
        }

        var s = schedule.Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(indices.ToArray(), s.Indices.ToArray());
        Bits.Equal(Encoded.Parse(entry["timesteps"]), s.Timesteps.AsSpan(), "timesteps");
        Bits.Equal(Encoded.Parse(entry["sigmas"]), s.Sigmas.AsSpan(), "sigmas");
        Assert.Equal((bool)entry["custom_timesteps"]!, s.IsCustom);
        Assert.Equal((int)entry["len"]!, raw.num_train_timesteps);
        Bits.Equal(Encoded.Parse(entry["init_noise_sigma"]), validation.Match(v => v.InitNoiseSigma, _ => double.NaN), "init_noise_sigma");
        Assert.Null(entry["step_index"]);
        Assert.Null(entry["begin_index"]);
    }

    /// <summary>The recorded intermediate values against Cm's formulas, valid input or not.</summary>
    private static void CheckArithmetic(JsonNode entry, SchedulerConfig c, ImmutableArray<int> indices, ScheduleMath math)
    {
        var ramp = Schedule.Ramp(c.num_train_timesteps, indices);
        Bits.Equal(Encoded.Parse(entry["ramp_derived"]), ramp, "ramp");
        var sig64 = ramp.Select(r => Karras.Sigma(r, c.sigma_min, c.sigma_max, c.rho, math)).ToArray();
        Bits.Equal(Encoded.Parse(entry["sigmas_float64_before_cast_derived"]), sig64, "sigmas before cast");
        Bits.Equal(Encoded.Parse(entry["timesteps"]), sig64.Select(s => Karras.SigmaToT(s, math)).ToArray(), "timesteps");
        Bits.Equal(Encoded.Parse(entry["sigmas"]), sig64.Select(x => (float)x).Append((float)c.sigma_min).ToArray(), "sigmas");
    }

    private static void CheckInit(JsonNode init, SchedulerConfig c, ScheduleMath math)
    {
        var sig = Karras.TrainingRamp(c.num_train_timesteps).Select(r => Karras.Sigma(r, c.sigma_min, c.sigma_max, c.rho, math)).ToArray();
        Bits.Equal(Encoded.Parse(init["sigmas"]), sig, "init sigmas");
        Bits.Equal(Encoded.Parse(init["timesteps"]), sig.Select(s => Karras.SigmaToT(s, math)).ToArray(), "init timesteps");
        Bits.Equal(Encoded.Parse(init["init_noise_sigma"]), c.sigma_max, "init_noise_sigma");
        Assert.Equal(c.num_train_timesteps, (int)init["len"]!);
        Assert.False((bool)init["custom_timesteps"]!);
    }

    private static (JsonNode Entry, JsonNode Config) Resolve(JsonNode root, string pointer)
    {
        JsonNode node = root;
        var config = root["config"];
        foreach (var seg in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = int.TryParse(seg, out var i) ? node[i]! : node[seg]!;
            if (node is JsonObject o && o["config"] is JsonNode c) config = c;
        }
        return (node, config!);
    }
}
