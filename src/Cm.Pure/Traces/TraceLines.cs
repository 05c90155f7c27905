using Cm.Pure.Config;
using Cm.Pure.Schedules.Arithmetic;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;

namespace Cm.Pure.Traces;

/// <summary>
/// The canonical bytes of each trace line (docs/trace-format.md): compact JSON, keys in a fixed order,
/// numbers spelt as Python's <c>json</c> spells them, so the same run gives the same bytes whichever
/// recorder wrote it. Pure: the bytes depend on the arguments only. No newline is included.
/// </summary>
public static class TraceLines
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>The header line.</summary>
    public static byte[] Header(RunHeader h, bool inlineTensors, string prev) => Write(w =>
    {
        w.WriteString("type", "header");
        w.WriteString("prev", prev);
        w.WriteString("format", TraceFormat.Name);
        w.WriteNumber("version", TraceFormat.Version);
        w.WriteString("hash", TraceFormat.HashName);
        w.WriteString("library", h.LibraryVersion);
        WriteConfig(w, h.Config);
        h.ScheduleMath.IfSome(m => w.WriteString("schedule_math", m.Name()));
        WriteSchedule(w, h.Schedule);
        w.WriteStartObject("noise");
        w.WriteString("kind", h.Noise.Kind.ToString().ToLowerInvariant());
        if (h.Noise.Kind == NoiseKind.Recorded) w.WriteNull("seed");
        else w.WriteNumber("seed", h.Noise.Seed);
        if (h.Noise.FirstSample != 0) w.WriteNumber("first_sample", h.Noise.FirstSample);
        w.WriteEndObject();
        Ints(w, "shape", h.SampleShape.Dims);
        w.WriteString("dtype", h.Dtype);
        w.WriteString("device", h.Device);
        h.ClassLabels.Match(labels => Ints(w, "class_labels", labels), () => w.WriteNull("class_labels"));
        w.WriteString("model", h.Model);
        h.Edit.IfSome(e => WriteEdit(w, e, inlineTensors));
        w.WriteBoolean("tensors", inlineTensors);
    });

    // The edit section (docs/trace-format.md, "Edit runs"); the reference and mask values only with inline tensors.
    private static void WriteEdit(Utf8JsonWriter w, EditHeader e, bool inlineTensors)
    {
        w.WriteStartObject("edit");
        w.WriteString("task", Editing.EditTasks.Name(e.Task));
        w.WriteString("convention", e.Convention == EditConvention.Openai ? "openai" : "scheduler");
        w.WriteStartObject("replacement");
        switch (e.Replacement)
        {
            case ReplacementIdentity.Mask m:
                w.WriteString("kind", "mask");
                Ints(w, "shape", m.Shape.Dims);
                w.WriteString("mask", m.Hash);
                break;
            case ReplacementIdentity.Subspace s:
                w.WriteString("kind", "subspace");
                Patch(w, s.Patch);
                w.WriteStartArray("known");
                foreach (var k in s.Known) w.WriteBooleanValue(k);
                w.WriteEndArray();
                w.WriteBase64String("basis", TensorHash.LittleEndianBytes(s.Basis.AsSpan()));
                break;
            case ReplacementIdentity.PatchMeans p:
                w.WriteString("kind", "patch_means");
                w.WriteNumber("patch", p.Patch);
                w.WriteString("basis", p.BasisHash);
                break;
            case ReplacementIdentity.Projector p:
                w.WriteString("kind", "projector");
                Patch(w, p.Patch);
                w.WriteBase64String("projector", TensorHash.LittleEndianBytes(p.P.AsSpan()));
                break;
        }
        w.WriteEndObject();
        w.WriteString("reference", e.Reference);
        if (inlineTensors)
            e.Data.IfSome(d =>
            {
                w.WriteStartObject("tensors");
                Base64(w, "reference", d.Reference);
                d.Mask.IfSome(m => Base64(w, "mask", m));
                w.WriteEndObject();
            });
        w.WriteEndObject();
    }

    private static void Patch(Utf8JsonWriter w, LanguageExt.Option<int> patch) =>
        patch.Match(k => w.WriteNumber("patch", k), () => w.WriteNull("patch"));

    /// <summary>A step line; with <paramref name="tensors"/> the sample, model output, noise and next sample follow as base64.</summary>
    public static byte[] Step(Cm.Pure.Sampling.StepScalars s, string? position, StepHashes hashes, StepTensors? tensors, string prev)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Step(s, position, hashes, tensors, prev, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The same step line, appended to <paramref name="output"/>.</summary>
    internal static void Step(Cm.Pure.Sampling.StepScalars s, string? position, StepHashes hashes, StepTensors? tensors, string prev, IBufferWriter<byte> output) =>
        Write(output, w => StepBody(w, s, position, hashes, tensors is null ? null : w2 =>
        {
            Base64(w2, "sample", tensors.Sample);
            Base64(w2, "model_output", tensors.ModelOutput);
            tensors.Noise.Match(n => Base64(w2, "noise", n), () => w2.WriteNull("noise"));
            Base64(w2, "next_sample", tensors.NextSample);
        }, prev));

    /// <summary>
    /// A step line straight from a record into <paramref name="output"/> (appended; the caller reuses the
    /// buffer from line to line), with hashes the caller computed (a sample's hash is the previous step's
    /// next-sample hash). With <paramref name="inlineTensors"/> the tensors are base64-encoded from their own
    /// memory, without copies. The same bytes as <see cref="Step(StepRecord, bool, string)"/>.
    /// </summary>
    public static void Step(StepRecord r, StepHashes hashes, bool inlineTensors, string prev, IBufferWriter<byte> output) =>
        Write(output, w => StepBody(w, r.Scalars, r.NoisePosition, hashes, !inlineTensors ? null : w2 =>
        {
            w2.WriteBase64String("sample", TensorHash.LittleEndianBytes(r.Sample.Data));
            w2.WriteBase64String("model_output", TensorHash.LittleEndianBytes(r.ModelOutput.Data));
            r.Noise.Match(n => w2.WriteBase64String("noise", TensorHash.LittleEndianBytes(n.Data)), () => w2.WriteNull("noise"));
            w2.WriteBase64String("next_sample", TensorHash.LittleEndianBytes(r.NextSample.Data));
        }, prev));

    /// <summary>The hashes of a record's tensors, all computed here.</summary>
    public static StepHashes Hashes(StepRecord r) => new(
        TensorHash.Of(r.Sample.Data), TensorHash.Of(r.ModelOutput.Data),
        r.Noise.Map(n => TensorHash.Of(n.Data)), TensorHash.Of(r.NextSample.Data));

    private static void StepBody(Utf8JsonWriter w, Cm.Pure.Sampling.StepScalars s, string? position, StepHashes hashes, Action<Utf8JsonWriter>? tensors, string prev)
    {
        w.WriteString("type", "step");
        w.WriteString("prev", prev);
        w.WriteNumber("index", s.Index);
        w.WriteStartObject("timestep");
        Number(w, "value", s.Timestep);
        w.WriteString("bits", ExactScalar.Bits(s.Timestep));
        w.WriteEndObject();
        F32(w, "sigma", s.Sigma);
        F32(w, "sigma_next", s.SigmaNext);
        F32(w, "sigma_hat", s.SigmaHat);
        F32(w, "c_skip", s.CSkip);
        F32(w, "c_out", s.COut);
        F32(w, "input_divisor", s.InputDivisor);
        F32(w, "noise_scale", s.NoiseScale);
        if (position is null) w.WriteNull("position"); else w.WriteString("position", position);
        w.WriteStartObject("hashes");
        w.WriteString("sample", hashes.Sample);
        w.WriteString("model_output", hashes.ModelOutput);
        hashes.Noise.Match(n => w.WriteString("noise", n), () => w.WriteNull("noise"));
        w.WriteString("next_sample", hashes.NextSample);
        w.WriteEndObject();
        if (tensors is null) return;
        w.WriteStartObject("tensors");
        tensors(w);
        w.WriteEndObject();
    }

    /// <summary>A step line straight from a <see cref="StepRecord"/>: hashes always, tensors when asked.</summary>
    public static byte[] Step(StepRecord r, bool inlineTensors, string prev)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Step(r, Hashes(r), inlineTensors, prev, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The footer line: step count, final sample hash, and whether the run completed.</summary>
    public static byte[] Footer(int steps, string finalSampleHash, bool complete, string prev) => Write(w =>
    {
        w.WriteString("type", "footer");
        w.WriteString("prev", prev);
        w.WriteNumber("steps", steps);
        w.WriteString("final_sample", finalSampleHash);
        w.WriteBoolean("complete", complete);
    });

    /// <summary>The footer for a final sample.</summary>
    public static byte[] Footer(int steps, Tensor<float> finalSample, bool complete, string prev) =>
        Footer(steps, TensorHash.Of(finalSample.Data), complete, prev);

    /// <summary>
    /// The <c>"config"</c> object (also the run identity of shard manifests): <see cref="ConfigJson"/>'s settings
    /// with the trace's number spelling.
    /// </summary>
    internal static void WriteConfig(Utf8JsonWriter w, Config.SchedulerConfig c)
    {
        w.WriteStartObject("config");
        ConfigJson.WriteProperties(w, c, Number);
        w.WriteEndObject();
    }

    /// <summary>The <c>"schedule"</c> object.</summary>
    internal static void WriteSchedule(Utf8JsonWriter w, TimestepSpec schedule)
    {
        w.WriteStartObject("schedule");
        switch (schedule)
        {
            case TimestepSpec.Steps s: w.WriteNumber("num_inference_steps", s.Count); break;
            case TimestepSpec.Custom c: Ints(w, "timesteps", c.Indices); break;
        }
        w.WriteEndObject();
    }

    /// <summary>Compact canonical JSON of one object written by <paramref name="body"/>.</summary>
    internal static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        Write(buffer, body);
        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(IBufferWriter<byte> output, Action<Utf8JsonWriter> body)
    {
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        body(w);
        w.WriteEndObject();
    }

    // Non-finite numbers have no JSON spelling; they are written as golden files write them, as the
    // strings "NaN", "Infinity" and "-Infinity", which every reader rejects with a precise message.
    private static void Number(Utf8JsonWriter w, string name, double x)
    {
        if (!double.IsFinite(x))
        {
            w.WriteString(name, double.IsNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity");
            return;
        }
        w.WritePropertyName(name);
        w.WriteRawValue(DecimalText.Repr(x));
    }

    private static void F32(Utf8JsonWriter w, string name, float x)
    {
        w.WriteStartObject(name);
        Number(w, "value", x);
        w.WriteString("bits", ExactScalar.Bits(x));
        w.WriteEndObject();
    }

    private static void Ints(Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }

    private static void Base64(Utf8JsonWriter w, string name, float[] values) =>
        w.WriteBase64String(name, TensorHash.LittleEndianBytes(values));
}
