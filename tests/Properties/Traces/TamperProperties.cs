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

    [Property(MaxTest = 200)]
    public bool A_valid_trace_verifies_whichever_is_chosen(NonNegativeInt which) =>
        TraceBytes.Verify(GoldenTraces.Trace(Ids[which.Get % Ids.Length])).Ok;
}
