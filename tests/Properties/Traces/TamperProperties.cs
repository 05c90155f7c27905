using Cm.Pure.Traces;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cm.Tests.Traces;

/// <summary>
/// Any single-byte change or dropped line of a valid trace is noticed: the chain covers every line but
/// the last, and every byte of the footer is checked.
/// </summary>
public sealed class TamperProperties
{
    // Small and large, recorded and seeded noise, one-step (no noise) and multi-step runs.
    private static readonly string[] Ids =
    [
        .. GoldenTraces.Ids.Where(i => i.Contains("1x1x2x3")).Take(8),
        GoldenTraces.Ids.First(i => i.Contains("2x3x4x4") && i.Contains("n4|clip=True|rng=shared")),
    ];

    [Property(MaxTest = 300)]
    public bool Flipping_any_byte_is_noticed(NonNegativeInt which, NonNegativeInt where, byte delta)
    {
        var trace = GoldenTraces.Trace(Ids[which.Get % Ids.Length]).ToArray();
        var i = where.Get % trace.Length;
        trace[i] ^= delta == 0 ? (byte)1 : delta;
        return !TraceBytes.Verify(trace).Ok;
    }

    [Property(MaxTest = 300)]
    public bool Dropping_any_line_is_noticed(NonNegativeInt which, NonNegativeInt line)
    {
        var lines = TraceBytes.Lines(GoldenTraces.Trace(Ids[which.Get % Ids.Length]));
        lines.RemoveAt(line.Get % lines.Count);
        return !TraceBytes.Verify(TraceBytes.Join(lines)).Ok;
    }

    // The canonical check compares a step line while re-writing it (no second copy): every byte counts, and so do
    // a missing and an extra byte.
    [Property(MaxTest = 500)]
    public bool The_canonical_check_sees_every_byte_of_a_step_line(NonNegativeInt which, NonNegativeInt where, byte delta, NonNegativeInt how)
    {
        var lines = TraceBytes.Lines(GoldenTraces.Trace(Ids[which.Get % Ids.Length]));
        var bytes = System.Text.Encoding.UTF8.GetBytes(lines[1 + where.Get % (lines.Count - 2)]);
        var line = TraceParser.Parse(2, bytes).Match(l => l, e => throw new InvalidOperationException(e.Message));
        var i = where.Get % bytes.Length;
        byte[] variant = (how.Get % 3) switch
        {
            0 => [.. bytes.AsSpan(0, i), (byte)(bytes[i] ^ (delta == 0 ? 1 : delta)), .. bytes.AsSpan(i + 1)],
            1 => bytes[..i],
            _ => [.. bytes, (byte)' '],
        };
        return line is StepLine { Tensors.IsSome: true } && TraceCanonical.IsCanonical(line, bytes) && !TraceCanonical.IsCanonical(line, variant);
    }

    [Property(MaxTest = 200)]
    public bool A_valid_trace_verifies_whichever_is_chosen(NonNegativeInt which) =>
        TraceBytes.Verify(GoldenTraces.Trace(Ids[which.Get % Ids.Length])).Ok;
}
