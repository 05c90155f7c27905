using System.Text;
using Cm.Pure.Traces;

namespace Cm.Tests.Traces;

/// <summary>One mutated trace: what was done (to reproduce and classify it) and the bytes.</summary>
public sealed record Mutation(int Index, string Kind, string What, byte[] Bytes)
{
    /// <inheritdoc/>
    public override string ToString() => $"#{Index} {Kind}: {What}";
}

/// <summary>
/// A seeded generator of hostile variants of a small real trace (issue 15's campaign as a fixture): byte
/// flips, field edits (with and without re-chaining, so the checks behind the chain are reached), line
/// drops, duplicates and reorderings, truncations, huge numbers and odd JSON. The same seed gives the same
/// mutations, so a failure names a reproducible case.
/// </summary>
public static class MutationCampaign
{
    private static readonly string[] HugeNumbers = ["1e400", "-1e400", "99999999999999999999999", "1e-400", "-0", "4294967296", "NaN", "Infinity", "0x10", "1.0e+308"];

    private static readonly string[] OddJson =
    [
        "\uFEFF", "\r", " ", "\t", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "{", "}", "\"", "\\u0000", "null", "\u00e9", "\\ud800",
        "\"x\":1,", "//", "\u2028",
    ];

    /// <summary><paramref name="count"/> mutations of <paramref name="trace"/> from <paramref name="seed"/>.</summary>
    public static IEnumerable<Mutation> Generate(byte[] trace, int seed, int count)
    {
        var rng = new Random(seed);
        var lines = TraceBytes.Lines(trace);
        for (var i = 0; i < count; i++)
        {
            var (kind, what, bytes) = (i % 12) switch
            {
                0 => FlipBit(rng, trace),
                1 => SetByte(rng, trace),
                2 => EditNumber(rng, lines, rechain: false),
                3 => EditNumber(rng, lines, rechain: true),
                4 => DropLine(rng, lines),
                5 => DuplicateLine(rng, lines),
                6 => SwapLines(rng, lines),
                7 => Truncate(rng, trace),
                8 => HugeNumber(rng, lines, rechain: rng.Next(2) == 0),
                9 => Odd(rng, lines, rechain: rng.Next(2) == 0),
                10 => EditHash(rng, lines),
                _ => Append(rng, trace),
            };
            yield return new Mutation(i, kind, what, bytes);
        }
    }

    private static (string, string, byte[]) FlipBit(Random rng, byte[] t)
    {
        var b = t.ToArray();
        var at = rng.Next(b.Length);
        var bit = rng.Next(8);
        b[at] ^= (byte)(1 << bit);
        return ("byte flip", $"bit {bit} of byte {at}", b);
    }

    private static (string, string, byte[]) SetByte(Random rng, byte[] t)
    {
        var b = t.ToArray();
        var at = rng.Next(b.Length);
        var v = (byte)rng.Next(256);
        b[at] = v;
        return ("byte set", $"byte {at} := 0x{v:x2}", b);
    }

    // Positions of number tokens (a digit not inside a hex digest or base64 string is hard to tell apart
    // cheaply, so any digit of the line will do: inside strings it is a string edit).
    private static (string, string, byte[]) EditNumber(Random rng, List<string> lines, bool rechain)
    {
        var l = rng.Next(lines.Count);
        var line = lines[l];
        var digits = Enumerable.Range(0, line.Length).Where(k => char.IsAsciiDigit(line[k])).ToArray();
        var at = digits[rng.Next(digits.Length)];
        var d = (char)('0' + (line[at] - '0' + 1 + rng.Next(9)) % 10);
        var edited = Replace(lines, l, line[..at] + d + line[(at + 1)..]);
        return (rechain ? "field edit, re-chained" : "field edit", $"line {l + 1} char {at}: {line[at]} -> {d}", Join(edited, rechain));
    }

    private static (string, string, byte[]) DropLine(Random rng, List<string> lines)
    {
        var l = rng.Next(lines.Count);
        var edited = lines.Where((_, k) => k != l).ToList();
        var rechain = rng.Next(2) == 0;
        return ("line drop", $"line {l + 1}{(rechain ? ", re-chained" : "")}", Join(edited, rechain));
    }

    private static (string, string, byte[]) DuplicateLine(Random rng, List<string> lines)
    {
        var l = rng.Next(lines.Count);
        var edited = lines.ToList();
        edited.Insert(l, lines[l]);
        var rechain = rng.Next(2) == 0;
        return ("line duplicate", $"line {l + 1}{(rechain ? ", re-chained" : "")}", Join(edited, rechain));
    }

    private static (string, string, byte[]) SwapLines(Random rng, List<string> lines)
    {
        var a = rng.Next(lines.Count);
        var b = (a + 1 + rng.Next(lines.Count - 1)) % lines.Count;
        var edited = lines.ToList();
        (edited[a], edited[b]) = (edited[b], edited[a]);
        var rechain = rng.Next(2) == 0;
        return ("line swap", $"lines {a + 1} and {b + 1}{(rechain ? ", re-chained" : "")}", Join(edited, rechain));
    }

    private static (string, string, byte[]) Truncate(Random rng, byte[] t)
    {
        var at = rng.Next(t.Length);
        return ("truncation", $"at byte {at} of {t.Length}", t[..at]);
    }

    private static (string, string, byte[]) HugeNumber(Random rng, List<string> lines, bool rechain)
    {
        var l = rng.Next(lines.Count);
        var line = lines[l];
        // Replace the value after a random "key": by a huge or odd number.
        var colons = Enumerable.Range(0, line.Length).Where(k => line[k] == ':' && k + 1 < line.Length && (char.IsAsciiDigit(line[k + 1]) || line[k + 1] == '-')).ToArray();
        if (colons.Length == 0) return Odd(rng, lines, rechain);
        var at = colons[rng.Next(colons.Length)] + 1;
        var end = at;
        while (end < line.Length && "0123456789.eE+-".Contains(line[end])) end++;
        var n = HugeNumbers[rng.Next(HugeNumbers.Length)];
        var edited = Replace(lines, l, line[..at] + n + line[end..]);
        return (rechain ? "huge number, re-chained" : "huge number", $"line {l + 1} char {at}: {line[at..end]} -> {n}", Join(edited, rechain));
    }

    private static (string, string, byte[]) Odd(Random rng, List<string> lines, bool rechain)
    {
        var l = rng.Next(lines.Count);
        var line = lines[l];
        var s = OddJson[rng.Next(OddJson.Length)];
        var at = rng.Next(line.Length + 1);
        var edited = Replace(lines, l, line[..at] + s + line[at..]);
        return (rechain ? "odd JSON, re-chained" : "odd JSON", $"line {l + 1} char {at}: insert {Escape(s)}", Join(edited, rechain));
    }

    private static (string, string, byte[]) EditHash(Random rng, List<string> lines)
    {
        // A re-chained edit of one hex digit of a tensor hash: only the checks behind the chain can see it.
        var l = 1 + rng.Next(lines.Count - 1);
        var line = lines[l];
        var keys = new[] { "\"sample\":\"", "\"model_output\":\"", "\"noise\":\"", "\"next_sample\":\"", "\"final_sample\":\"" };
        var found = keys.Select(k => line.IndexOf(k, StringComparison.Ordinal)).Where(k => k >= 0).ToArray();
        if (found.Length == 0) return EditNumber(rng, lines, true);
        var key = found[rng.Next(found.Length)];
        var at = line.IndexOf(":\"", key, StringComparison.Ordinal) + 2 + rng.Next(64);
        var c = line[at] == 'f' ? '0' : line[at] == '9' ? 'a' : (char)(line[at] + 1);
        var edited = Replace(lines, l, line[..at] + c + line[(at + 1)..]);
        return ("hash edit, re-chained", $"line {l + 1} char {at}", Join(edited, true));
    }

    private static (string, string, byte[]) Append(Random rng, byte[] t)
    {
        string[] tails = ["\n", "garbage", "{}\n", " \n", "\r\n", "\0", "{\"type\":\"footer\"}\n"];
        var tail = tails[rng.Next(tails.Length)];
        return ("append", $"after the footer: {Escape(tail)}", [.. t, .. Encoding.UTF8.GetBytes(tail)]);
    }

    private static List<string> Replace(List<string> lines, int l, string line)
    {
        var edited = lines.ToList();
        edited[l] = line;
        return edited;
    }

    // Re-chaining needs a "prev" to rewrite on every line; a line whose prev the edit destroyed is kept as is.
    private static byte[] Join(List<string> lines, bool rechain)
    {
        if (!rechain || lines.Any(l => !l.Contains("\"prev\":\"", StringComparison.Ordinal) || l.IndexOf("\"prev\":\"", StringComparison.Ordinal) + 8 + 64 > l.Length))
            return TraceBytes.Join(lines);
        return TraceBytes.Rechain(lines);
    }

    private static string Escape(string s) =>
        string.Concat(s.Select(c => c < 0x20 || c > 0x7e ? $"\\u{(int)c:x4}" : c.ToString()));
}

/// <summary>The small real trace the campaign and the hardening tests mutate: the 4-step golden run (shape 1x1x2x3, inline tensors, seeded torch noise).</summary>
public static class CampaignTrace
{
    /// <summary>The golden case.</summary>
    public static string Id => GoldenTraces.Ids.First(i => i.Contains("1x1x2x3") && i.Contains("n4|clip=True|rng=shared"));

    /// <summary>Its bytes.</summary>
    public static byte[] Valid => GoldenTraces.Trace(Id);

    /// <summary>Verify options that regenerate its noise (the seeded level).</summary>
    public static VerifyOptions Seeded => new(GoldenTraces.RecordedGenerator(GoldenTraces.Case(Id)));

    /// <summary>The golden fake model, f(f(tanh(s))·f(0.9)) + f(0.01·t).</summary>
    public static TraceReplay.Model Fake => (s, t) => s.Select(x => (float)Math.Tanh(x) * 0.9f + (float)(0.01 * t)).ToArray();
}
