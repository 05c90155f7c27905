using Cm.Pure.Schedules.Arithmetic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Runtime.InteropServices;
using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// Turns the bytes of one line into a <see cref="TraceLine"/>, or the first thing wrong with them. Strict:
/// every key must be known and present once, every hash 64 lowercase hex digits, every scalar's decimal
/// must name exactly the number its bits name. Never throws on any input.
/// </summary>
public static class TraceParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    /// <summary>Parses line <paramref name="number"/>.</summary>
    public static Fin<TraceLine> Parse(int number, ReadOnlyMemory<byte> bytes)
    {
        var hash = TensorHash.OfBytes(bytes.Span);
        int? step = null;
        try
        {
            using var doc = JsonDocument.Parse(bytes, DocumentOptions);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new Bad("line", "a JSON object", Kind(root));
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            TraceLine line = type switch
            {
                "header" => Header(number, hash, root),
                "step" => Step(number, hash, root, i => step = i),
                "footer" => Footer(number, hash, root),
                _ => throw new Bad("type", "\"header\", \"step\" or \"footer\"",
                    root.TryGetProperty("type", out var tt) ? Raw(tt) : "no type"),
            };
            // Every byte sealed: the line must be the canonical serialisation of what it says (the footer has no
            // successor whose prev seals it, and a re-chained respelling would otherwise verify).
            var difference = TraceCanonical.Difference(line, bytes);
            if (difference.IsSome)
            {
                var (expected, found) = difference.IfNone(("", ""));
                throw new Bad(line is FooterLine ? "footer" : "bytes", expected, found);
            }
            return line;
        }
        catch (Bad b)
        {
            return new TraceFailure(number, Optional(step), b.Field, b.Expected, b.Found);
        }
        catch (JsonException e)
        {
            return new TraceFailure(number, None, "json", "one JSON object per line", Shorten(e.Message));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            return new TraceFailure(number, Optional(step), "json", "well-formed UTF-8 JSON", Shorten(e.Message));
        }
    }

    private static HeaderLine Header(int number, string hash, JsonElement root)
    {
        // The three identifying fields first: an unknown version is reported as such, not as unknown keys.
        var format = Str(Need(root, "format", ""), "format");
        if (format != TraceFormat.Name) throw new Bad("format", Quote(TraceFormat.Name), Quote(format));
        var version = Need(root, "version", "");
        if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != TraceFormat.Version)
            throw new Bad("version", $"{TraceFormat.Version} (the only version this library reads)", Raw(version));
        var hashName = Str(Need(root, "hash", ""), "hash");
        if (hashName != TraceFormat.HashName)
            throw new Bad("hash", $"{Quote(TraceFormat.HashName)} (the only hash algorithm of version 1)", Quote(hashName));

        var o = new Obj(root, "", ["type", "prev", "format", "version", "hash", "library", "config", "schedule",
            "noise", "shape", "dtype", "device", "class_labels", "model", "tensors", "schedule_math", "edit"], ["prev", "schedule_math", "edit"]);
        var prev = o.OptionalDigest("prev");
        var library = o.Str("library");
        var config = Config(o.Object("config", [.. ConfigKeys.Settings]));
        var scheduleMath = o.Has("schedule_math") ? Some(ScheduleMathOf(o.Str("schedule_math"))) : None;
        var schedule = Schedule(o.Object("schedule", ["num_inference_steps", "timesteps"], ["num_inference_steps", "timesteps"]));
        var noise = Noise(o.Object("noise", ["kind", "seed", "first_sample"], ["first_sample"]));
        var shape = ShapeOf(o.Get("shape"));
        var dtype = o.Str("dtype");
        if (dtype != TraceFormat.Float32) throw new Bad("dtype", $"{Quote(TraceFormat.Float32)} (the only dtype of version 1)", Quote(dtype));
        var device = o.Str("device");
        var labels = o.Get("class_labels");
        var classLabels = labels.ValueKind == JsonValueKind.Null ? None : Some(Ints(labels, "class_labels", 0).ToImmutableArray());
        var model = o.Str("model");
        var tensors = o.Bool("tensors");
        var edit = o.Has("edit") ? Some(Edit(o.Object("edit", ["task", "convention", "replacement", "reference", "tensors"], ["tensors"]), tensors)) : None;
        return new HeaderLine(number, hash, prev,
            new RunHeader(config, schedule, noise, shape, dtype, device, classLabels, model, library) { ScheduleMath = scheduleMath, Edit = edit }, tensors);
    }

    // The edit section of an edit run's header: task, convention, the replacement's identity, the reference's hash and,
    // exactly when the header says "tensors": true, the reference and mask values.
    private static EditHeader Edit(Obj e, bool inlineTensors)
    {
        var taskName = e.Str("task");
        var task = Editing.EditTasks.Parse(taskName).Match(t => t,
            () => throw new Bad("edit.task", "\"inpaint\", \"colorize\", \"superres\" or \"custom\"", Quote(taskName)));
        var convention = e.Str("convention") switch
        {
            "scheduler" => EditConvention.Scheduler,
            "openai" => EditConvention.Openai,
            var c => throw new Bad("edit.convention", "\"scheduler\" or \"openai\"", Quote(c)),
        };
        var replacement = Replacement(e.Get("replacement"));
        var reference = e.Digest("reference");
        if (e.Has("tensors") != inlineTensors)
            throw new Bad("edit.tensors", inlineTensors ? "the reference inline (the header says \"tensors\": true)" : "absent (the header says \"tensors\": false)",
                e.Has("tensors") ? "present" : "absent");
        var data = e.Has("tensors") ? Some(EditTensors(e.Object("tensors", ["reference", "mask"], ["mask"]), replacement is ReplacementIdentity.Mask)) : None;
        return new EditHeader(task, convention, replacement, reference, data);
    }

    private static ReplacementIdentity Replacement(JsonElement r)
    {
        const string path = "edit.replacement.";
        var kind = r.ValueKind == JsonValueKind.Object && r.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        switch (kind)
        {
            case "mask":
                var m = new Obj(r, path, ["kind", "shape", "mask"], []);
                return new ReplacementIdentity.Mask(ShapeOf(m.Get("shape")), m.Digest("mask"));
            case "subspace":
                var s = new Obj(r, path, ["kind", "patch", "known", "basis"], []);
                return new ReplacementIdentity.Subspace(PatchOf(s), Bools(s.Get("known"), path + "known"), [.. Floats(s.Get("basis"), path + "basis")]);
            case "patch_means":
                var p = new Obj(r, path, ["kind", "patch", "basis"], []);
                return new ReplacementIdentity.PatchMeans(PatchOf(p).Match(x => x, () => throw new Bad(path + "patch", "a patch size >= 1", "null")), p.Digest("basis"));
            case "projector":
                var q = new Obj(r, path, ["kind", "patch", "projector"], []);
                return new ReplacementIdentity.Projector(PatchOf(q), [.. Floats(q.Get("projector"), path + "projector")]);
            default:
                throw new Bad(path + "kind", "\"mask\", \"subspace\", \"patch_means\" or \"projector\"",
                    r.ValueKind == JsonValueKind.Object && r.TryGetProperty("kind", out var kk) ? Raw(kk) : Kind(r));
        }
    }

    private static Option<int> PatchOf(Obj o)
    {
        var e = o.Get("patch");
        if (e.ValueKind == JsonValueKind.Null) return None;
        var k = o.Int("patch");
        return k >= 1 ? Some(k) : throw new Bad("edit.replacement.patch", "null or a patch size >= 1", Raw(e));
    }

    private static System.Collections.Immutable.ImmutableArray<bool> Bools(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new Bad(field, "an array of true and false", Kind(e));
        var b = System.Collections.Immutable.ImmutableArray.CreateBuilder<bool>(e.GetArrayLength());
        var i = 0;
        foreach (var x in e.EnumerateArray())
        {
            b.Add(x.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new Bad($"{field}[{i}]", "true or false", Raw(x)),
            });
            i++;
        }
        return b.MoveToImmutable();
    }

    private static EditData EditTensors(Obj t, bool hasMask)
    {
        if (t.Has("mask") != hasMask)
            throw new Bad("edit.tensors.mask", hasMask ? "the mask's values (the replacement is a mask)" : "absent (the replacement has no mask)", t.Has("mask") ? "present" : "absent");
        return new EditData(Floats(t.Get("reference"), "edit.tensors.reference"), hasMask ? Some(Floats(t.Get("mask"), "edit.tensors.mask")) : None);
    }

    private static ScheduleMath ScheduleMathOf(string name) => ScheduleMathNames.Parse(name).Match(
        m => m, () => throw new Bad("schedule_math", $"one of {ScheduleMathNames.Choices}", Quote(name)));

    private static StepLine Step(int number, string hash, JsonElement root, Action<int> seen)
    {
        var o = new Obj(root, "", ["type", "prev", "index", "timestep", "sigma", "sigma_next", "sigma_hat", "c_skip",
            "c_out", "input_divisor", "noise_scale", "position", "hashes", "tensors"], ["tensors"]);
        var index = o.Int("index");
        if (index < 0) throw new Bad("index", "a step index >= 0", index.ToString(CultureInfo.InvariantCulture));
        seen(index);
        var prev = Some(o.Digest("prev"));
        var scalars = new TracedScalars(
            o.F64("timestep"), o.F32("sigma"), o.F32("sigma_next"), o.F32("sigma_hat"), o.F32("c_skip"),
            o.F32("c_out"), o.F32("input_divisor"), o.F32("noise_scale"));
        var pos = o.Get("position");
        var position = pos.ValueKind == JsonValueKind.Null ? None : Some(Str(pos, "position"));
        var h = o.Object("hashes", ["sample", "model_output", "noise", "next_sample"]);
        var hashes = new StepHashes(h.Digest("sample"), h.Digest("model_output"), h.OptionalDigest("noise", nullable: true), h.Digest("next_sample"));
        var tensors = o.Has("tensors") ? Some(Tensors(o.Object("tensors", ["sample", "model_output", "noise", "next_sample"]))) : None;
        return new StepLine(number, hash, prev, index, scalars, position, hashes, tensors);
    }

    private static FooterLine Footer(int number, string hash, JsonElement root)
    {
        var o = new Obj(root, "", ["type", "prev", "steps", "final_sample", "complete"], []);
        var prev = Some(o.Digest("prev"));
        var steps = o.Int("steps");
        if (steps < 0) throw new Bad("steps", "a step count >= 0", steps.ToString(CultureInfo.InvariantCulture));
        return new FooterLine(number, hash, prev, steps, o.Digest("final_sample"), o.Bool("complete"));
    }

    /// <summary>
    /// The <c>"config"</c> and <c>"schedule"</c> objects of a header, read with the header's rules (for shard
    /// manifests, which spell them as traces do). A problem is (field, expected, found).
    /// </summary>
    internal static Fin<(SchedulerConfig Config, TimestepSpec Schedule)> ConfigAndSchedule(JsonElement config, JsonElement schedule, string path)
    {
        try
        {
            return (Config(new Obj(config, path + "config.", [.. ConfigKeys.Settings], [])),
                Schedule(new Obj(schedule, path + "schedule.", ["num_inference_steps", "timesteps"], ["num_inference_steps", "timesteps"])));
        }
        catch (Bad b)
        {
            return new TraceFailure(0, None, b.Field, b.Expected, b.Found);
        }
    }

    // Every setting of the table, in its order (the first bad one is reported); float64s must be finite here.
    private static SchedulerConfig Config(Obj c) => ConfigFields.All.Aggregate(SchedulerConfig.Default, (config, field) => field switch
    {
        ConfigField.Integer i => i.With(config, c.Int(i.Key)),
        ConfigField.Number n => n.With(config, c.Finite(n.Key)),
        ConfigField.Boolean b => b.With(config, c.Bool(b.Key)),
        _ => throw new System.Diagnostics.UnreachableException(),
    });

    private static TimestepSpec Schedule(Obj s)
    {
        int? steps = s.Has("num_inference_steps") ? s.Int("num_inference_steps") : null;
        var list = s.Has("timesteps") ? Ints(s.Get("timesteps"), "schedule.timesteps", int.MinValue) : null;
        return TimestepSpec.FromOptional(steps, list).Match(
            spec => spec,
            e => throw new Bad("schedule", "exactly one of num_inference_steps and timesteps", e.Message));
    }

    private static NoiseSpec Noise(Obj n)
    {
        var kind = n.Str("kind");
        var seed = n.Get("seed");
        switch (kind)
        {
            case "torch" or "philox":
                if (seed.ValueKind != JsonValueKind.Number || !seed.TryGetUInt64(out var s))
                    throw new Bad("noise.seed", "an integer in 0..18446744073709551615", Raw(seed));
                var first = 0u;
                if (n.Has("first_sample"))
                {
                    var f = n.Get("first_sample");
                    if (kind != "philox" || f.ValueKind != JsonValueKind.Number || !f.TryGetUInt32(out first))
                        throw new Bad("noise.first_sample", "an integer in 0..4294967295, for philox noise only", Raw(f));
                }
                return new NoiseSpec(kind == "torch" ? NoiseKind.Torch : NoiseKind.Philox, s, first);
            case "recorded":
                if (seed.ValueKind != JsonValueKind.Null) throw new Bad("noise.seed", "null for recorded noise", Raw(seed));
                return new NoiseSpec(NoiseKind.Recorded, 0);
            default:
                throw new Bad("noise.kind", "\"torch\", \"philox\" or \"recorded\"", Quote(kind));
        }
    }

    private static Shape ShapeOf(JsonElement e)
    {
        var dims = Ints(e, "shape", 0);
        long count = 1;
        foreach (var d in dims)
        {
            count *= d;
            if (count > System.Array.MaxLength) throw new Bad("shape", $"at most {System.Array.MaxLength} elements", $"[{string.Join(", ", dims)}]");
        }
        return Cm.Pure.Tensors.Shape.Of(dims);
    }

    private static StepTensors Tensors(Obj t)
    {
        var noise = t.Get("noise");
        return new StepTensors(
            Floats(t.Get("sample"), "tensors.sample"), Floats(t.Get("model_output"), "tensors.model_output"),
            noise.ValueKind == JsonValueKind.Null ? None : Some(Floats(noise, "tensors.noise")),
            Floats(t.Get("next_sample"), "tensors.next_sample"));
    }

    private static float[] Floats(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.String && TensorBase64.TryDecode(JsonMarshal.GetRawUtf8Value(e), out var values)
            ? values
            : FloatsChecked(e, field);

    // The general path (escaped or malformed strings): decodes through an intermediate byte array and says what is wrong.
    private static float[] FloatsChecked(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.String || !e.TryGetBytesFromBase64(out var bytes))
            throw new Bad(field, "base64 of float32 little-endian bytes", Kind(e));
        if (bytes.Length % 4 != 0)
            throw new Bad(field, "a multiple of 4 bytes (float32 elements)", $"{bytes.Length} bytes");
        return TensorHash.FromLittleEndian(bytes);
    }

    private static int[] Ints(JsonElement e, string field, int min)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new Bad(field, "an array of integers", Kind(e));
        var result = new int[e.GetArrayLength()];
        var i = 0;
        foreach (var x in e.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt32(out var v) || v < min)
                throw new Bad($"{field}[{i}]", min == 0 ? "an integer >= 0" : "a 32-bit integer", Raw(x));
            result[i++] = v;
        }
        return result;
    }

    private static JsonElement Need(JsonElement o, string key, string path) =>
        o.TryGetProperty(key, out var v) ? v : throw new Bad(path + key, "present", "missing");

    private static string Str(JsonElement e, string field) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new Bad(field, "a string", Raw(e));

    private static string Quote(string s) => "\"" + Shorten(s) + "\"";

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "a string " + Quote(e.GetString()!),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Raw(e),
    };

    private static string Raw(JsonElement e) => Shorten(e.GetRawText());

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..117] + "...";

    /// <summary>The first problem found, thrown inside the parser only and always caught by <see cref="Parse"/>.</summary>
    private sealed class Bad(string field, string expected, string found) : Exception(field)
    {
        public string Field { get; } = field;
        public string Expected { get; } = expected;
        public string Found { get; } = found;
    }

    /// <summary>A JSON object with a fixed key set: unknown, repeated or missing keys are errors.</summary>
    private sealed class Obj
    {
        private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
        private readonly string _path;

        public Obj(JsonElement e, string path, string[] keys, string[] optional)
        {
            _path = path;
            if (e.ValueKind != JsonValueKind.Object) throw new Bad(path.TrimEnd('.'), "an object", Kind(e));
            foreach (var p in e.EnumerateObject())
            {
                if (!keys.Contains(p.Name))
                    throw new Bad(path + p.Name, "no such key (known: " + string.Join(", ", keys) + ")", "the key " + Quote(p.Name));
                if (!_fields.TryAdd(p.Name, p.Value)) throw new Bad(path + p.Name, "the key once", "it twice");
            }
            foreach (var k in keys)
                if (!optional.Contains(k) && !_fields.ContainsKey(k)) throw new Bad(path + k, "present", "missing");
        }

        public bool Has(string key) => _fields.ContainsKey(key);

        public JsonElement Get(string key) => _fields.TryGetValue(key, out var v) ? v : throw new Bad(_path + key, "present", "missing");

        public Obj Object(string key, string[] keys, string[]? optional = null) => new(Get(key), _path + key + ".", keys, optional ?? []);

        public string Str(string key) => TraceParser.Str(Get(key), _path + key);

        public bool Bool(string key) => Get(key).ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new Bad(_path + key, "true or false", Raw(Get(key))),
        };

        public int Int(string key)
        {
            var e = Get(key);
            return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : throw new Bad(_path + key, "a 32-bit integer", Raw(e));
        }

        public double Finite(string key)
        {
            var e = Get(key);
            if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var d) && double.IsFinite(d)) return d;
            throw new Bad(_path + key, "a finite number", Raw(e));
        }

        public string Digest(string key)
        {
            var s = Str(key);
            return TensorHash.IsDigest(s) ? s : throw new Bad(_path + key, "a SHA-256 digest (64 lowercase hex digits)", Quote(s));
        }

        public Option<string> OptionalDigest(string key, bool nullable = false)
        {
            if (!Has(key)) return None;
            if (nullable && Get(key).ValueKind == JsonValueKind.Null) return None;
            return Some(Digest(key));
        }

        public float F32(string key)
        {
            var (value, bits) = Scalar(key);
            var f = ExactScalar.ParseBits32(bits) ?? throw new Bad(_path + key + ".bits", "0x and 8 lowercase hex digits", Quote(bits));
            return Agree(key, value, f, ExactScalar.Show(f), f);
        }

        public double F64(string key)
        {
            var (value, bits) = Scalar(key);
            var d = ExactScalar.ParseBits64(bits) ?? throw new Bad(_path + key + ".bits", "0x and 16 lowercase hex digits", Quote(bits));
            return Agree(key, value, d, ExactScalar.Show(d), d);
        }

        private T Agree<T>(string key, JsonElement value, double exact, string shown, T result)
        {
            if (!double.IsFinite(exact)) throw new Bad(_path + key, "a finite value", shown);
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d) || !double.IsFinite(d))
                throw new Bad(_path + key + ".value", "a finite number", Raw(value));
            if (BitConverter.DoubleToInt64Bits(d) != BitConverter.DoubleToInt64Bits(exact))
                throw new Bad(_path + key + ".value", $"the number its bits name, {DecimalText.Repr(exact)}", Raw(value));
            return result;
        }

        private (JsonElement Value, string Bits) Scalar(string key)
        {
            var o = new Obj(Get(key), _path + key + ".", ["value", "bits"], []);
            return (o.Get("value"), o.Str("bits"));
        }
    }
}
