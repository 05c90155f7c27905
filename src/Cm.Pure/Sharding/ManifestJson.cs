using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Sharding;

/// <summary>
/// The one serialisation of run identities, shard manifests and merged manifests (docs/scale-out.md).
/// Keys in a fixed order, config and schedule spelt exactly as trace headers spell them, no clock: the same
/// values give the same bytes. Manifests are indented for people; the identity that is hashed into the run
/// id is compact. Parsing is strict (every key known, present once, in range) and never throws.
/// </summary>
public static class ManifestJson
{
    /// <summary>The shard manifest format name.</summary>
    public const string ShardFormat = "cm-shard-manifest";

    /// <summary>The merged manifest format name.</summary>
    public const string MergedFormat = "cm-merged-manifest";

    /// <summary>The only version.</summary>
    public const int Version = 1;

    /// <summary>The largest manifest a reader accepts (a shard with a million batches lists a million traces).</summary>
    public const int MaxBytes = 256 << 20;

    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonDocumentOptions Reading = new() { MaxDepth = 8 };

    /// <summary>The canonical bytes of a run identity: compact JSON, fixed key order.</summary>
    public static byte[] Identity(RunIdentity run) => TraceLines.Write(w => IdentityBody(w, run));

    /// <summary>The run id: lowercase hex SHA-256 of <see cref="Identity"/>.</summary>
    public static string RunId(RunIdentity run) => TensorHash.OfBytes(Identity(run));

    /// <summary>The identity's fields as (key, canonical JSON text), in order: what two runs differ in.</summary>
    public static IReadOnlyList<(string Key, string Json)> IdentityFields(RunIdentity run)
    {
        using var doc = JsonDocument.Parse(Identity(run));
        return doc.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())).ToArray();
    }

    /// <summary>A shard manifest's file bytes (UTF-8, indented, newline at the end).</summary>
    public static byte[] Shard(ShardManifest m) => Document(w =>
    {
        w.WriteString("format", ShardFormat);
        w.WriteNumber("version", Version);
        w.WriteString("run_id", RunId(m.Run));
        w.WriteStartObject("run");
        IdentityBody(w, m.Run);
        w.WriteEndObject();
        ShardBody(w, m);
    });

    /// <summary>A merged manifest's file bytes.</summary>
    public static byte[] Merged(MergedManifest m) => Document(w =>
    {
        w.WriteString("format", MergedFormat);
        w.WriteNumber("version", Version);
        w.WriteString("run_id", RunId(m.Run));
        w.WriteStartObject("run");
        IdentityBody(w, m.Run);
        w.WriteEndObject();
        w.WritePropertyName("output");
        Output(w, m.Output);
        w.WriteStartArray("shards");
        foreach (var (sha, shard) in m.Shards)
        {
            w.WriteStartObject();
            w.WriteString("manifest_sha256", sha);
            ShardBody(w, shard);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>Parses a shard manifest file's bytes; <paramref name="name"/> names it in errors.</summary>
    public static Fin<ShardManifest> ParseShard(string name, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes) return new InvalidManifest(name, "file", $"{bytes.Length} bytes, over the {MaxBytes}-byte limit");
        try
        {
            using var doc = JsonDocument.Parse(bytes.ToArray(), Reading);
            var root = doc.RootElement;
            Keys(root, "", ["format", "version", "run_id", "run", "shard", "range", "batch", "outputs"]);
            if (Str(root, "format", "") != ShardFormat)
                throw new Bad("format", $"\"{ShardFormat}\" (a merged manifest or another file is not a shard manifest)");
            if (Long(root, "version", "") != Version) throw new Bad("version", $"{Version}, the only version this library reads");
            var run = Run(root.GetProperty("run"));
            var id = Str(root, "run_id", "");
            if (id != RunId(run))
                throw new Bad("run_id", $"the SHA-256 of the run identity ({RunId(run)}), found {id}: the run fields were edited");
            var shard = Long(root, "shard", "");
            if (shard < 0 || shard >= run.Shards) throw new Bad("shard", $"an index in 0..{run.Shards - 1}, found {shard}");
            var range = Range(root.GetProperty("range"), "range");
            var batch = Long(root, "batch", "");
            if (batch < 1 || batch > int.MaxValue) throw new Bad("batch", $"a batch size in 1..{int.MaxValue}, found {batch}");
            var outputs = root.GetProperty("outputs");
            if (outputs.ValueKind != JsonValueKind.Array) throw new Bad("outputs", "an array");
            var list = outputs.EnumerateArray().Select((o, i) => ParseOutput(o, $"outputs[{i}].")).ToImmutableArray();
            if (list.Count(o => o.Role == ShardOutput.SamplesRole) != 1) throw new Bad("outputs", "exactly one samples file");
            return new ShardManifest(run, (int)shard, range, (int)batch, list);
        }
        catch (Bad b)
        {
            return new InvalidManifest(name, b.Field, b.Reason);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return new InvalidManifest(name, "json", e.Message);
        }
    }

    private static void IdentityBody(Utf8JsonWriter w, RunIdentity r)
    {
        TraceLines.WriteConfig(w, r.Config);
        TraceLines.WriteSchedule(w, r.Schedule);
        w.WriteString("model", r.Model);
        w.WriteStartObject("noise");
        w.WriteString("kind", r.Noise.Kind.ToString().ToLowerInvariant());
        w.WriteNumber("seed", r.Noise.Seed);
        w.WriteEndObject();
        w.WriteNumber("samples", r.Samples);
        w.WriteNumber("shards", r.Shards);
        w.WriteStartArray("item_shape");
        foreach (var d in r.ItemShape.Dims) w.WriteNumberValue(d);
        w.WriteEndArray();
        w.WriteString("dtype", RunIdentity.Dtype);
        w.WriteString("labels", r.Labels);
        w.WriteString("library", r.Library);
    }

    private static void ShardBody(Utf8JsonWriter w, ShardManifest m)
    {
        w.WriteNumber("shard", m.Shard);
        RangeValue(w, "range", m.Range);
        w.WriteNumber("batch", m.Batch);
        w.WriteStartArray("outputs");
        foreach (var o in m.Outputs) Output(w, o);
        w.WriteEndArray();
    }

    private static void Output(Utf8JsonWriter w, ShardOutput o)
    {
        w.WriteStartObject();
        w.WriteString("role", o.Role);
        w.WriteString("file", o.File);
        RangeValue(w, "range", o.Range);
        w.WriteNumber("bytes", o.Bytes);
        w.WriteString("sha256", o.Sha256);
        w.WriteEndObject();
    }

    private static void RangeValue(Utf8JsonWriter w, string name, SampleRange r)
    {
        w.WriteStartArray(name);
        w.WriteNumberValue(r.First);
        w.WriteNumberValue(r.End);
        w.WriteEndArray();
    }

    private static RunIdentity Run(JsonElement run)
    {
        Keys(run, "run.", ["config", "schedule", "model", "noise", "samples", "shards", "item_shape", "dtype", "labels", "library"]);
        var cs = TraceParser.ConfigAndSchedule(run.GetProperty("config"), run.GetProperty("schedule"), "run.")
            .Match(x => x, e => throw new Bad("run", e.Message));
        var noise = run.GetProperty("noise");
        Keys(noise, "run.noise.", ["kind", "seed"]);
        var kind = Str(noise, "kind", "run.noise.") switch
        {
            "philox" => NoiseKind.Philox,
            "torch" => NoiseKind.Torch,
            var k => throw new Bad("run.noise.kind", $"\"philox\" or \"torch\", found \"{k}\""),
        };
        if (!noise.GetProperty("seed").TryGetUInt64(out var seed)) throw new Bad("run.noise.seed", "an integer in 0..18446744073709551615");
        var samples = Long(run, "samples", "run.");
        var shards = Long(run, "shards", "run.");
        if (shards > int.MaxValue) throw new Bad("run.shards", $"at most {int.MaxValue}");
        var plan = ShardPlan.Create(samples, (int)shards).Match(p => p, e => throw new Bad("run.samples", e.Message));
        var shapeElement = run.GetProperty("item_shape");
        if (shapeElement.ValueKind != JsonValueKind.Array) throw new Bad("run.item_shape", "an array of sizes");
        var dims = shapeElement.EnumerateArray().Select(d => d.TryGetInt32(out var v) && v >= 1 ? v : throw new Bad("run.item_shape", "sizes >= 1")).ToArray();
        if (dims.Length == 0) throw new Bad("run.item_shape", "at least one size");
        if (Str(run, "dtype", "run.") != RunIdentity.Dtype) throw new Bad("run.dtype", $"\"{RunIdentity.Dtype}\"");
        return new RunIdentity(cs.Config, cs.Schedule, Str(run, "model", "run."), new NoiseSpec(kind, seed), plan.Samples, plan.Shards,
            Tensors.Shape.Of(dims), Str(run, "labels", "run."), Str(run, "library", "run."));
    }

    private static ShardOutput ParseOutput(JsonElement o, string path)
    {
        Keys(o, path, ["role", "file", "range", "bytes", "sha256"]);
        var role = Str(o, "role", path);
        if (role is not (ShardOutput.SamplesRole or ShardOutput.TraceRole)) throw new Bad(path + "role", $"\"samples\" or \"trace\", found \"{role}\"");
        var file = Str(o, "file", path);
        // A bare file name: a manifest names files in its own folder only, so it cannot point a merge elsewhere.
        if (file.Length == 0 || file != Path.GetFileName(file) || file is "." or "..")
            throw new Bad(path + "file", $"a file name in the manifest's folder, found \"{file}\"");
        var bytes = Long(o, "bytes", path);
        if (bytes < 0) throw new Bad(path + "bytes", "a size >= 0");
        var sha = Str(o, "sha256", path);
        if (!TensorHash.IsDigest(sha)) throw new Bad(path + "sha256", "64 lowercase hex digits");
        return new ShardOutput(role, file, Range(o.GetProperty("range"), path + "range"), bytes, sha);
    }

    private static SampleRange Range(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2
            || !e[0].TryGetInt64(out var a) || !e[1].TryGetInt64(out var b) || a < 0 || b < a || b > ShardPlan.MaxSamples)
            throw new Bad(path, "[first, end] with 0 <= first <= end <= 2^32");
        return new SampleRange(a, b);
    }

    private static void Keys(JsonElement e, string path, string[] keys)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new Bad(path.TrimEnd('.'), "an object");
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            if (!keys.Contains(p.Name)) throw new Bad(path + p.Name, "no such key (known: " + string.Join(", ", keys) + ")");
            if (!seen.Add(p.Name)) throw new Bad(path + p.Name, "the key once, found it twice");
        }
        foreach (var k in keys)
            if (!seen.Contains(k)) throw new Bad(path + k, "present, found it missing");
    }

    private static string Str(JsonElement e, string key, string path) =>
        e.GetProperty(key) is { ValueKind: JsonValueKind.String } s ? s.GetString()! : throw new Bad(path + key, "a string");

    private static long Long(JsonElement e, string key, string path) =>
        e.GetProperty(key).TryGetInt64(out var v) ? v : throw new Bad(path + key, "an integer");

    private static byte[] Document(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, Indented))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    private sealed class Bad(string field, string reason) : Exception(field)
    {
        public string Field { get; } = field;
        public string Reason { get; } = reason;
    }
}
