namespace Cm.Pure.Traces;

/// <summary>
/// One line of a trace as a reader delivers it: its bytes (without the newline), or why the line could
/// not be read. The verifier, diff and replay are folds over these, so they never touch a file.
/// </summary>
public abstract record TraceInput(int Number)
{
    /// <summary>The bytes of line <paramref name="Number"/>; <paramref name="Terminated"/> is false when the
    /// file ended before its newline (a writer stopped mid-line). A reader may lend the bytes for as long as
    /// the consumer is on this line (docs/performance.md, "Trace reading"); the folds never keep them.</summary>
    public sealed record Line(int Number, ReadOnlyMemory<byte> Bytes, bool Terminated) : TraceInput(Number);

    /// <summary>Line <paramref name="Number"/> could not be read (too long, an I/O error); nothing follows it.</summary>
    public sealed record Unreadable(int Number, string Field, string Expected, string Found) : TraceInput(Number);

    /// <summary>Splits a whole trace held in memory into lines, as a streaming reader would (the lines are slices of <paramref name="trace"/>).</summary>
    public static IEnumerable<TraceInput> Split(ReadOnlyMemory<byte> trace, int maxLineBytes = TraceFormat.DefaultMaxLineBytes)
    {
        var number = 0;
        var rest = trace;
        while (!rest.IsEmpty)
        {
            number++;
            var nl = rest.Span.IndexOf((byte)'\n');
            var length = nl < 0 ? rest.Length : nl;
            if (length > maxLineBytes)
            {
                yield return TooLong(number, maxLineBytes);
                yield break;
            }
            yield return new Line(number, rest[..length], nl >= 0);
            rest = nl < 0 ? ReadOnlyMemory<byte>.Empty : rest[(nl + 1)..];
        }
    }

    /// <summary>The rejection of a line longer than the limit.</summary>
    public static Unreadable TooLong(int number, int maxLineBytes) =>
        new(number, "line", $"at most {maxLineBytes} bytes before the newline", $"a longer line (not read)");
}
