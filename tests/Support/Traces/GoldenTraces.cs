using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Scalings;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Tests.Golden;
using LanguageExt;
using static LanguageExt.Prelude;
using Xunit;

namespace Cm.Tests.Traces;

/// <summary>
/// The shared step-loop goldens (float32 cases) as traces in the Python recorder's exact layout: what
/// docs/python/record_diffusers.py writes for that run. Shared-generator runs name their torch seed;
/// runs with two generators are marked "recorded". The input divisor, which the goldens do not store,
/// is the one scale_model_input used (checked bit for bit by the parity tests).
/// </summary>
public static class GoldenTraces
{
    public const string FakeModel = "analytic:fake-tanh(out=f(f(tanh(s))*f(0.9))+f(0.01*t))";
    public const string Library = "diffusers 58eb52c0803ea9af3abec60841c2a093bdf1f951";

    public static TheoryData<string> Cases => GoldenFiles.Rows(Ids);

    public static IEnumerable<string> Ids =>
        from f in GoldenFiles.Discover("diffusers", "step_loops_")
        let cases = GoldenFiles.Diffusers(f)["cases"]!.AsArray()
        from i in Enumerable.Range(0, cases.Count)
        where (string)cases[i]!["dtype"]! == "float32"
        select $"{f}|{i}|{cases[i]!["id"]}";

    public static JsonNode Case(string id) => GoldenFiles.StepLoopCase(id);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Cache = new();

    /// <summary>The trace of a golden case, as the Python recorder lays it out (with inline tensors).</summary>
    public static byte[] Trace(string id) => Cache.GetOrAdd(id, _ => Build(Case(id)));

    private static byte[] Build(JsonNode c)
    {
        var lines = new List<PyJson.Dict> { Header(c) };
        foreach (var s in c["steps"]!.AsArray()) lines.Add(Step(c, s!));
        lines.Add(new PyJson.Dict
        {
            { "type", "footer" }, { "prev", null }, { "steps", c["steps"]!.AsArray().Count },
            { "final_sample", Hash(Encoded.Parse(c["final_sample"])) }, { "complete", true },
        });
        return Chain(lines);
    }

    /// <summary>Fills each line's "prev" with the SHA-256 of the line before (zeros for the header).</summary>
    public static byte[] Chain(IEnumerable<PyJson.Dict> lines)
    {
        var output = new MemoryStream();
        var prev = TraceFormat.GenesisPrev;
        foreach (var line in lines)
        {
            var i = line.FindIndex(p => p.Key == "prev");
            line[i] = ("prev", prev);
            var bytes = PyJson.Bytes(line);
            output.Write(bytes);
            output.WriteByte((byte)'\n');
            prev = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        return output.ToArray();
    }

    public static NoiseSpec Noise(JsonNode c) => (string)c["rng"]!["mode"]! == "shared"
        ? new NoiseSpec(NoiseKind.Torch, (ulong)c["rng"]!["seed"]!)
        : new NoiseSpec(NoiseKind.Recorded, 0);

    /// <summary>A stand-in for TorchNoise seeded as the golden's shared generator: replays its recorded draws in order.</summary>
    public static Func<NoiseSpec, Option<INoise>> RecordedGenerator(JsonNode c) => spec =>
        spec == Noise(c) && spec.Kind == NoiseKind.Torch
            ? Some<INoise>(RecordedNoise.Of([Encoded.Parse(c["initial_randn"]).F32(),
                .. c["steps"]!.AsArray().Where(s => (bool)s!["noise_drawn"]!).Select(s => Encoded.Parse(s!["noise"]).F32())]))
            : None;

    private static PyJson.Dict Header(JsonNode c)
    {
        var cfg = c["config"]!;
        var sched = c["schedule"]!;
        var noise = Noise(c);
        return new PyJson.Dict
        {
            { "type", "header" }, { "prev", null }, { "format", "cm-trace" }, { "version", 1 }, { "hash", "sha256" },
            { "library", Library },
            { "config", new PyJson.Dict
                {
                    { "num_train_timesteps", (int)cfg["num_train_timesteps"]! }, { "sigma_min", (double)cfg["sigma_min"]! },
                    { "sigma_max", (double)cfg["sigma_max"]! }, { "sigma_data", (double)cfg["sigma_data"]! },
                    { "s_noise", (double)cfg["s_noise"]! }, { "rho", (double)cfg["rho"]! }, { "clip_denoised", (bool)cfg["clip_denoised"]! },
                } },
            { "schedule", sched["timesteps"] is { } ts
                ? new PyJson.Dict { { "timesteps", ts.AsArray().Select(x => (int)x!).ToList() } }
                : new PyJson.Dict { { "num_inference_steps", (int)sched["num_inference_steps"]! } } },
            { "noise", new PyJson.Dict { { "kind", noise.Kind.ToString().ToLowerInvariant() }, { "seed", noise.Kind == NoiseKind.Recorded ? null : noise.Seed } } },
            { "shape", c["shape"]!.AsArray().Select(x => (int)x!).ToList() },
            { "dtype", "float32" }, { "device", "cpu" }, { "class_labels", null }, { "model", FakeModel }, { "tensors", true },
        };
    }

    private static PyJson.Dict Step(JsonNode c, JsonNode s)
    {
        var sigma = Encoded.Parse(s["sigma"]).Scalar32;
        var divisor = EdmScalings.InputDivisor(sigma, GoldenFiles.ValidConfig(c["config"]!));
        var noise = Encoded.ParseOrNull(s["noise"]);
        return new PyJson.Dict
        {
            { "type", "step" }, { "prev", null }, { "index", (int)s["i"]! },
            { "timestep", Scalar64(Encoded.Parse(s["t"]).Scalar64) },
            { "sigma", Scalar(sigma) }, { "sigma_next", Scalar(Encoded.Parse(s["sigma_next"]).Scalar32) },
            { "sigma_hat", Scalar(Encoded.Parse(s["sigma_hat"]).Scalar32) }, { "c_skip", Scalar(Encoded.Parse(s["c_skip"]).Scalar32) },
            { "c_out", Scalar(Encoded.Parse(s["c_out"]).Scalar32) }, { "input_divisor", Scalar(divisor) },
            { "noise_scale", Scalar(Encoded.Parse(s["noise_scale_derived"]).Scalar32) },
            { "position", null },
            { "hashes", new PyJson.Dict
                {
                    { "sample", Hash(Encoded.Parse(s["sample_in"])) }, { "model_output", Hash(Encoded.Parse(s["model_output"])) },
                    { "noise", noise is null ? null : Hash(noise) }, { "next_sample", Hash(Encoded.Parse(s["prev_sample"])) },
                } },
            { "tensors", new PyJson.Dict
                {
                    { "sample", B64(Encoded.Parse(s["sample_in"])) }, { "model_output", B64(Encoded.Parse(s["model_output"])) },
                    { "noise", noise is null ? null : B64(noise) }, { "next_sample", B64(Encoded.Parse(s["prev_sample"])) },
                } },
        };
    }

    /// <summary>The same run as Cm's pipeline would report it, for comparing the two writers.</summary>
    public static (RunHeader Header, IReadOnlyList<StepRecord> Steps, Tensor<float> Final) Records(JsonNode c)
    {
        var config = GoldenFiles.ValidConfig(c["config"]!);
        var spec = GoldenFiles.Spec(c["schedule"]!);
        var shape = Shape.Of(c["shape"]!.AsArray().Select(x => (int)x!).ToArray());
        var header = new RunHeader(config.Value, spec, Noise(c), shape, "float32", "cpu", None, FakeModel, Library);
        var steps = c["steps"]!.AsArray().Select(s =>
        {
            var sc = new StepScalars((int)s!["i"]!, Encoded.Parse(s["t"]).Scalar64, Encoded.Parse(s["sigma"]).Scalar32,
                Encoded.Parse(s["sigma_next"]).Scalar32, Encoded.Parse(s["sigma_hat"]).Scalar32, Encoded.Parse(s["noise_scale_derived"]).Scalar32,
                Encoded.Parse(s["c_skip"]).Scalar32, Encoded.Parse(s["c_out"]).Scalar32,
                EdmScalings.InputDivisor(Encoded.Parse(s["sigma"]).Scalar32, config), (float)config.SNoise, (bool)s["noise_drawn"]!);
            return new StepRecord(sc, null!, Encoded.Parse(s["sample_in"]).Tensor32(), Encoded.Parse(s["model_output"]).Tensor32(),
                Optional(Encoded.ParseOrNull(s["noise"])).Map(e => e.Tensor32()), Encoded.Parse(s["denoised_derived"]).Tensor32(),
                Encoded.Parse(s["prev_sample"]).Tensor32());
        }).ToList();
        return (header, steps, Encoded.Parse(c["final_sample"]).Tensor32());
    }

    public static PyJson.Dict Scalar(float x) => new() { { "value", (double)x }, { "bits", ExactScalar.Bits(x) } };

    private static PyJson.Dict Scalar64(double x) => new() { { "value", x }, { "bits", ExactScalar.Bits(x) } };

    private static string Hash(Encoded e) => TensorHash.Of(e.F32());

    private static string B64(Encoded e) => Convert.ToBase64String(TensorHash.LittleEndianBytes(e.F32()));
}
