using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// Every byte of a trace is sealed: each line's bytes are hashed into the next line's <c>prev</c>, and every
/// line, the footer included (it has no successor), must be byte for byte the canonical serialisation of its
/// own fields (<see cref="TraceLines"/>: compact JSON, keys in order, numbers spelt as their bits, no carriage
/// return). So no byte can change while the trace still verifies, not even by re-chaining: JSON whitespace, a
/// key escape such as <c>\u0073teps</c> or <c>1e1</c> for <c>10.0</c> are rejected. Strings may be written as
/// Cm writes them (UTF-8) or as Python's <c>json.dumps</c> does (non-ASCII as lowercase <c>\uXXXX</c>), so
/// traces of both recorders stay canonical.
/// </summary>
public static class TraceCanonical
{
    private static readonly byte[] GenesisPrevField = Encoding.ASCII.GetBytes($"\"prev\":\"{TraceFormat.GenesisPrev}\",");

    /// <summary>The canonical bytes of a parsed line, as Cm writes them.</summary>
    public static byte[] Of(TraceLine line) => line switch
    {
        HeaderLine h => Header(h),
        StepLine st => Step(st),
        FooterLine f => Footer(f),
        _ => [],
    };

    private static byte[] Step(StepLine st)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        Step(st, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    // The canonical step line of a parsed one, into any writer.
    private static void Step(StepLine st, System.Buffers.IBufferWriter<byte> output) =>
        TraceLines.Step(
            new Sampling.StepScalars(st.Index, st.Scalars.Timestep, st.Scalars.Sigma, st.Scalars.SigmaNext, st.Scalars.SigmaHat,
                st.Scalars.NoiseScale, st.Scalars.CSkip, st.Scalars.COut, st.Scalars.InputDivisor, 0f, false),
            st.Position.IfNoneUnsafe((string?)null), st.Hashes, st.Tensors.IfNoneUnsafe((StepTensors?)null), st.Prev.IfNone(TraceFormat.GenesisPrev), output);

    // A step line (the long one: inline tensors) is compared while it is written, never built as a second copy.
    private static bool IsCanonicalAsWritten(StepLine st, ReadOnlyMemory<byte> bytes)
    {
        using var compare = new ComparingWriter(bytes);
        Step(st, compare);
        return compare.Equal;
    }

    /// <summary>The canonical bytes of a footer's fields.</summary>
    public static byte[] Footer(FooterLine f) =>
        TraceLines.Footer(f.Steps, f.FinalSample, f.Complete, f.Prev.IfNone(TraceFormat.GenesisPrev));

    /// <summary>Whether <paramref name="bytes"/> are the canonical bytes of <paramref name="line"/> (Cm's or Python's spelling).</summary>
    public static bool IsCanonical(TraceLine line, ReadOnlyMemory<byte> bytes)
    {
        if (line is StepLine st && IsCanonicalAsWritten(st, bytes)) return true;
        var cm = Of(line);
        return bytes.Span.SequenceEqual(cm) || (HasNonAscii(cm) && bytes.Span.SequenceEqual(AsciiEscaped(cm)));
    }

    /// <summary>Why <paramref name="bytes"/> are not canonical: the first differing byte and the canonical text there; none when they are.</summary>
    public static Option<(string Expected, string Found)> Difference(TraceLine line, ReadOnlyMemory<byte> bytes)
    {
        if (IsCanonical(line, bytes)) return None;
        var found = bytes.Span;
        var cm = Of(line);
        var k = 0;
        while (k < cm.Length && k < found.Length && cm[k] == found[k]) k++;
        var from = Math.Max(0, k - 20);
        return Some(($"the canonical bytes (compact JSON, keys in order, numbers as their bits spell them): at byte {k} \"{Show(cm.AsSpan(from, Math.Min(cm.Length - from, 60)))}\"",
            $"\"{Show(found.Slice(from, Math.Min(found.Length - from, 60)))}\""));
    }

    /// <summary>Bytes as text for a message, control characters escaped, at most 160 characters.</summary>
    public static string Show(ReadOnlySpan<byte> bytes)
    {
        var text = Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 400)]);
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (sb.Length >= 157) return sb.Append("...").ToString();
            sb.Append(c < 0x20 || c == 0x7f ? $"\\x{(int)c:x2}" : c.ToString());
        }
        return sb.ToString();
    }

    // The header's prev may be absent (docs/trace-format.md): then the canonical bytes have none either.
    private static byte[] Header(HeaderLine h)
    {
        var bytes = TraceLines.Header(h.Run, h.InlineTensors, h.Prev.IfNone(TraceFormat.GenesisPrev));
        if (h.Prev.IsSome) return bytes;
        var at = bytes.AsSpan().IndexOf(GenesisPrevField);
        return at < 0 ? bytes : [.. bytes.AsSpan(0, at), .. bytes.AsSpan(at + GenesisPrevField.Length)];
    }

    private static bool HasNonAscii(byte[] bytes) => bytes.AsSpan().IndexOfAnyInRange((byte)0x80, (byte)0xff) >= 0;

    // Python's json.dumps (ensure_ascii): every non-ASCII character as \uXXXX, lowercase hex, surrogate pairs above U+FFFF.
    private static byte[] AsciiEscaped(byte[] bytes)
    {
        var sb = new StringBuilder();
        foreach (var c in Encoding.UTF8.GetString(bytes))
            sb.Append(c > 0x7f ? $"\\u{(int)c:x4}" : c.ToString());
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
