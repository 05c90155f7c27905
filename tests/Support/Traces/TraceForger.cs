using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Traces;

namespace Cm.Tests.Traces;

/// <summary>
/// What an attacker without a key can do to a trace (issue 15's forgeries, as a small program): edit any
/// field of any line, recompute every later step so the tensors stay consistent, and reseal the hash
/// chain. Each forgery must fail at the verification level that can see it, and only there.
/// </summary>
public static class TraceForger
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Edits the header object, then reseals the chain.</summary>
    public static byte[] EditHeader(byte[] trace, Action<JsonObject> edit)
    {
        var lines = TraceBytes.Lines(trace);
        var header = JsonNode.Parse(lines[0])!.AsObject();
        edit(header);
        lines[0] = header.ToJsonString(Compact);
        return TraceBytes.Rechain(lines);
    }

    /// <summary>
    /// Replaces tensors of the steps (sample of step 0, model outputs, noise) through <paramref name="edit"/>,
    /// recomputes every next sample with the library's own step kernel under the (possibly edited) header,
    /// carries each next sample into the following step, rewrites every hash and the footer, and reseals:
    /// a forgery that recomputation cannot see.
    /// </summary>
    public static byte[] Recompute(byte[] trace, Func<int, string, float[], float[]> edit, Action<JsonObject>? editHeader = null)
    {
        var lines = TraceBytes.Lines(trace);
        var header = JsonNode.Parse(lines[0])!.AsObject();
        editHeader?.Invoke(header);
        lines[0] = header.ToJsonString(Compact);
        var parsed = (HeaderLine)TraceParser.Parse(1, System.Text.Encoding.UTF8.GetBytes(lines[0])).Match(l => l, e => throw new InvalidOperationException(e.Message));
        var config = ConfigValidation.ValidateFin(parsed.Run.Config).Match(c => c, e => throw new InvalidOperationException(e.Message));
        var schedule = Schedule.Create(config, parsed.Run.Schedule).Match(s => s, e => throw new InvalidOperationException(e.Message));
        float[]? carried = null;
        for (var i = 1; i < lines.Count - 1; i++)
        {
            var step = JsonNode.Parse(lines[i])!.AsObject();
            var index = step["index"]!.GetValue<int>();
            var t = step["tensors"]!.AsObject();
            var sample = carried ?? edit(index, "sample", Floats(t["sample"]!));
            var output = edit(index, "model_output", Floats(t["model_output"]!));
            var noise = t["noise"] is { } z ? edit(index, "noise", Floats(z)) : [];
            var next = new float[sample.Length];
            StepKernel.Apply(StepScalars.At(config, schedule, index), config.ClipDenoised, output, sample, noise, default, next);
            Put(step, t, "sample", sample);
            Put(step, t, "model_output", output);
            if (noise.Length > 0) Put(step, t, "noise", noise);
            Put(step, t, "next_sample", next);
            lines[i] = step.ToJsonString(Compact);
            carried = next;
        }
        var footer = JsonNode.Parse(lines[^1])!.AsObject();
        footer["final_sample"] = TensorHash.Of(carried!);
        lines[^1] = footer.ToJsonString(Compact);
        return TraceBytes.Rechain(lines);
    }

    private static float[] Floats(JsonNode n) => TensorHash.FromLittleEndian(Convert.FromBase64String(n.GetValue<string>()));

    private static void Put(JsonObject step, JsonObject tensors, string name, float[] values)
    {
        tensors[name] = Convert.ToBase64String(TensorHash.LittleEndianBytes(values));
        step["hashes"]![name] = TensorHash.Of(values);
    }
}
