using System.Text;

namespace Cm.Pure.Traces;

/// <summary>
/// Every byte of a trace is sealed: each line's bytes are hashed into the next line's <c>prev</c>, and the
/// footer, which has no successor, must be byte for byte the canonical footer of its own fields (compact JSON,
/// keys in order, no escapes, no carriage return), so no byte of it can change while it still verifies.
/// </summary>
public static class TraceCanonical
{
    /// <summary>The canonical bytes of a footer's fields.</summary>
    public static byte[] Footer(FooterLine f) =>
        TraceLines.Footer(f.Steps, f.FinalSample, f.Complete, f.Prev.IfNone(TraceFormat.GenesisPrev));

    /// <summary>Whether <paramref name="bytes"/> are exactly the canonical bytes of <paramref name="f"/>.</summary>
    public static bool IsCanonical(FooterLine f, ReadOnlySpan<byte> bytes) => bytes.SequenceEqual(Footer(f));

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
}
