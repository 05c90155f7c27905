using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// The first divergence of two traces, field by field, line by line: config keys, schedule, noise and
/// model in the header; then each step's scalars (decimal and bits: a decimal edited alone is a divergence too), position, hashes and inline tensors (to the
/// first differing element); then the footer. The <c>prev</c> chain is skipped: it differs after any
/// difference and says nothing new. Works on damaged traces too (a line that is not JSON is compared as bytes).
/// </summary>
public static class TraceDiff
{
    /// <summary>The first divergence, or none when the traces agree in every field.</summary>
    public static Option<Divergence> First(IEnumerable<TraceInput> a, IEnumerable<TraceInput> b) => First(a, b, new System.Collections.Generic.HashSet<string>());

    /// <summary>
    /// The first divergence outside the <paramref name="ignored"/> field paths (e.g. <c>device</c>, to compare
    /// a CPU run with a CUDA run step by step), or none.
    /// </summary>
    public static Option<Divergence> First(IEnumerable<TraceInput> a, IEnumerable<TraceInput> b, IReadOnlySet<string> ignored)
    {
        using var ea = a.GetEnumerator();
        using var eb = b.GetEnumerator();
        var number = 0;
        while (true)
        {
            number++;
            var hasA = ea.MoveNext();
            var hasB = eb.MoveNext();
            if (!hasA && !hasB) return None;
            if (!hasA || !hasB)
                return new Divergence(number, None, "line", hasA ? Describe(ea.Current) : "end of trace", hasB ? Describe(eb.Current) : "end of trace");
            var d = Compare(number, ea.Current, eb.Current, ignored);
            if (d.IsSome) return d;
        }
    }

    private static Option<Divergence> Compare(int number, TraceInput a, TraceInput b, IReadOnlySet<string> ignored)
    {
        // An unreadable line (a missing file, a folder, a line over the limit) is never "the same" as anything:
        // two unreadable files are not two equal traces.
        if (a is not TraceInput.Line la || b is not TraceInput.Line lb)
            return new Divergence(number, None, "line", Describe(a), Describe(b));
        if (la.Terminated == lb.Terminated && la.Bytes.Span.SequenceEqual(lb.Bytes.Span)) return None; // same bytes, same fields (vectorised; no flattening)
        var fa = Fields(la.Bytes);
        var fb = Fields(lb.Bytes);
        var step = fa.Step == fb.Step ? fa.Step : None;
        var mb = fb.Values.ToDictionary(p => p.Path, p => p.Value, StringComparer.Ordinal);
        foreach (var (path, va) in fa.Values)
        {
            if (IsIgnored(path, ignored)) continue;
            if (!mb.TryGetValue(path, out var vb)) return new Divergence(number, step, path, Show(path, va), "absent");
            if (va != vb) return new Divergence(number, step, Refine(path, va, vb, out var ea, out var eb), ea, eb);
        }
        var ma = fa.Values.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, vb) in fb.Values)
            if (!ma.Contains(path) && !IsIgnored(path, ignored)) return new Divergence(number, step, path, "absent", Show(path, vb));
        return la.Terminated == lb.Terminated ? None
            : new Divergence(number, step, "newline", la.Terminated ? "present" : "missing", lb.Terminated ? "present" : "missing");
    }

    /// <summary>
    /// Whether <paramref name="path"/> is left out: it is an ignored path or lies below one
    /// (<c>--ignore tensors</c> skips <c>tensors.sample</c>, <c>--ignore config</c> every config key).
    /// </summary>
    public static bool IsIgnored(string path, IReadOnlySet<string> ignored)
    {
        if (ignored.Contains(path)) return true;
        for (var i = 0; i < path.Length; i++)
            if ((path[i] == '.' || path[i] == '[') && ignored.Contains(path[..i])) return true;
        return false;
    }

    /// <summary>A value as shown in a divergence: an inline tensor as its element count, anything long shortened.</summary>
    private static string Show(string path, string value) =>
        IsTensor(path) && Decode(value) is { } t
            ? $"{t.Length} float32 elements"
            : Short(value);

    /// <summary>
    /// The distance of two float32 values in units in the last place: the number of representable floats
    /// between them (0 for +0 and −0; NaN counts by its bits).
    /// </summary>
    public static long Ulps(float a, float b) => Math.Abs(Ordered(a) - Ordered(b));

    private static long Ordered(float f)
    {
        var bits = BitConverter.SingleToInt32Bits(f);
        return bits >= 0 ? bits : -(long)(bits & 0x7FFFFFFF);
    }

    // A step's inline tensors, or an edit header's reference and mask.
    private static bool IsTensor(string path) =>
        path.StartsWith("tensors.", StringComparison.Ordinal) || path.StartsWith("edit.tensors.", StringComparison.Ordinal);

    // Inline tensors differ somewhere in their base64: name the first differing element.
    private static string Refine(string path, string a, string b, out string shownA, out string shownB)
    {
        shownA = Short(a);
        shownB = Short(b);
        if (!IsTensor(path)) return path;
        var ta = Decode(a);
        var tb = Decode(b);
        if (ta is null || tb is null) return path;
        var k = TraceVerifier.FirstDifference(ta, tb);
        if (k < 0 || k >= Math.Min(ta.Length, tb.Length))
        {
            shownA = $"{ta.Length} elements";
            shownB = $"{tb.Length} elements";
            return path;
        }
        var differing = 0;
        long maxUlps = 0;
        for (var i = 0; i < Math.Min(ta.Length, tb.Length); i++)
        {
            if (BitConverter.SingleToInt32Bits(ta[i]) == BitConverter.SingleToInt32Bits(tb[i])) continue;
            differing++;
            maxUlps = Math.Max(maxUlps, Ulps(ta[i], tb[i]));
        }
        shownA = ExactScalar.Show(ta[k]);
        shownB = $"{ExactScalar.Show(tb[k])} ({Ulps(ta[k], tb[k])} ulp; {differing} of {ta.Length} elements differ, at most {maxUlps} ulp)";
        return $"{path}[{k}]";
    }

    private static float[]? Decode(string json)
    {
        try
        {
            var bytes = Convert.FromBase64String(JsonSerializer.Deserialize<string>(json) ?? "");
            return bytes.Length % 4 == 0 ? TensorHash.FromLittleEndian(bytes) : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record Flat(Option<int> Step, List<(string Path, string Value)> Values);

    private static Flat Fields(ReadOnlyMemory<byte> line)
    {
        var values = new List<(string, string)>();
        try
        {
            using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
            var root = doc.RootElement;
            Option<int> step = root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "step"
                && root.TryGetProperty("index", out var i) && i.TryGetInt32(out var idx) ? Some(idx) : None;
            Flatten(root, "", values);
            // A repeated key makes a line ambiguous (readers disagree on which value wins); the trace parser
            // rejects it, and diff compares such a line by its bytes, the same way whichever side holds it.
            if (values.Select(v => v.Item1).Distinct(StringComparer.Ordinal).Count() != values.Count)
                return new Flat(None, [("bytes", TensorHash.OfBytes(line.Span))]);
            return new Flat(step, values);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            values.Add(("bytes", TensorHash.OfBytes(line.Span)));
            return new Flat(None, values);
        }
    }

    private static void Flatten(JsonElement e, string path, List<(string, string)> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (path == "" && p.Name == "prev") continue;
                    Flatten(p.Value, path == "" ? p.Name : path + "." + p.Name, into);
                }
                break;
            case JsonValueKind.Array when !path.EndsWith("shape", StringComparison.Ordinal) && e.GetArrayLength() > 0:
                var k = 0;
                foreach (var x in e.EnumerateArray()) Flatten(x, $"{path}[{k++}]", into);
                break;
            default:
                into.Add((path.EndsWith(".bits", StringComparison.Ordinal) ? path[..^5] : path, e.GetRawText()));
                break;
        }
    }

    private static string Describe(TraceInput i) => i switch
    {
        TraceInput.Line l => l.Bytes.Length > 40 ? $"a line of {l.Bytes.Length} bytes" : System.Text.Encoding.UTF8.GetString(l.Bytes.Span),
        TraceInput.Unreadable u => $"unreadable ({u.Found})",
        _ => "?",
    };

    private static string Short(string s) => s.Length <= 100 ? s : s[..97] + "...";
}
