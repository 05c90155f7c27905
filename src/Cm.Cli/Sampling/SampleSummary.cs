using System.Diagnostics.Contracts;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cm.Runtime.Sampling;
using LanguageExt;

namespace Cm.Cli.Sampling;

/// <summary>A written output: its path (<c>-</c> for stdout), SHA-256 and size.</summary>
public sealed record WrittenFile(string Path, string Sha256, long Bytes)
{
    /// <summary>The record of <paramref name="bytes"/> written to <paramref name="path"/>.</summary>
    public static WrittenFile Of(string path, byte[] bytes) =>
        new(path, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), bytes.LongLength);

    /// <summary>The record of a file on disk (a sealed trace), hashed as a stream: its size is not bounded by memory.</summary>
    public static WrittenFile OfFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new(path, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)), stream.Length);
    }
}

/// <summary>How long the parts of a run took.</summary>
public sealed record SampleTimings(TimeSpan Sampling, TimeSpan Writing, TimeSpan Total);

/// <summary>
/// The end of <c>cm sample</c>: one short status line for people (stderr) or a JSON document for scripts
/// (<c>--json</c>, stdout; schema <c>cm-sample/1</c> in docs/cli.md).
/// </summary>
public static class SampleSummary
{
    /// <summary>The JSON schema name; bump the number on an incompatible change.</summary>
    public const string Schema = "cm-sample/1";

    /// <summary>Timesteps as a short list: all when there are at most six, else the first three, an ellipsis and the last.</summary>
    [Pure]
    public static string Timesteps(IReadOnlyList<int> t) =>
        t.Count <= 6 ? string.Join(",", t) : $"{t[0]},{t[1]},{t[2]},…,{t[^1]}";

    /// <summary><c>16 samples 1x16x16 from analytic:glyphs, 2 steps (timesteps 22,0), torch:0 noise, unconditional, on cpu, 1 thread, 4.47 s</c>.</summary>
    [Pure]
    public static string Line(SamplingResult r, string model, IReadOnlyList<int> timesteps, int threads, TimeSpan elapsed)
    {
        var shape = string.Join("x", r.Samples.Shape.Dims.Skip(1));
        var steps = timesteps.Count == 1 ? "1 step" : $"{timesteps.Count} steps";
        var labels = r.Labels.IsEmpty ? "unconditional" : $"labels {string.Join(",", r.Labels.Take(8))}{(r.Labels.Length > 8 ? ",…" : "")}";
        var th = threads == 1 ? "1 thread" : $"{threads} threads";
        var samples = r.Samples.Shape.Batch == 1 ? "1 sample" : $"{r.Samples.Shape.Batch} samples";
        return $"{samples} {shape} from {model}, {steps} (timesteps {Timesteps(timesteps)}), " +
               $"{r.Header.Noise} noise, {labels}, on {r.Header.Device}, {th}, " +
               $"{elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s";
    }

    /// <summary>The <c>--json</c> document (schema <see cref="Schema"/>).</summary>
    [Pure]
    public static string Json(SamplingResult r, string model, IReadOnlyList<int> timesteps, int threads,
        Seq<WrittenFile> outputs, Option<WrittenFile> trace, SampleTimings timings)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteStartArray("outputs");
            foreach (var o in outputs) File(w, o);
            w.WriteEndArray();
            w.WritePropertyName("trace");
            trace.Match(t => File(w, t), () => w.WriteNullValue());
            w.WriteString("model", model);
            w.WriteString("model_identity", r.Header.Model);
            w.WriteNumber("batch", r.Samples.Shape.Batch);
            w.WriteStartArray("shape");
            foreach (var d in r.Samples.Shape.Dims.Skip(1)) w.WriteNumberValue(d);
            w.WriteEndArray();
            w.WriteNumber("steps", timesteps.Count);
            w.WriteStartArray("timesteps");
            foreach (var t in timesteps) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteString("noise", r.Header.Noise.Kind.ToString().ToLowerInvariant());
            w.WriteNumber("seed", r.Header.Noise.Seed);
            w.WritePropertyName("labels");
            if (r.Labels.IsEmpty) w.WriteNullValue();
            else
            {
                w.WriteStartArray();
                foreach (var l in r.Labels) w.WriteNumberValue(l);
                w.WriteEndArray();
            }
            w.WriteString("device", r.Header.Device);
            w.WriteNumber("threads", threads);
            w.WriteString("library_version", r.Header.LibraryVersion);
            w.WriteStartObject("timings");
            w.WriteNumber("sampling_s", Math.Round(timings.Sampling.TotalSeconds, 4));
            w.WriteNumber("writing_s", Math.Round(timings.Writing.TotalSeconds, 4));
            w.WriteNumber("total_s", Math.Round(timings.Total.TotalSeconds, 4));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void File(Utf8JsonWriter w, WrittenFile f)
    {
        w.WriteStartObject();
        w.WriteString("path", f.Path);
        w.WriteString("sha256", f.Sha256);
        w.WriteNumber("bytes", f.Bytes);
        w.WriteEndObject();
    }
}
