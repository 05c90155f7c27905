using System.Buffers;
using Cm.Pure.Traces;

namespace Cm.Runtime.Traces;

/// <summary>
/// Streams a trace file line by line, never holding more than one line: a line longer than the limit is
/// reported (and not read) instead of being loaded, and an unreadable file is a value, not an exception.
/// Memory: one reused line buffer (at most twice the longest line), the line handed out, and what the
/// consumer makes of it; earlier lines are collected on a byte budget (<see cref="ReadMemoryBound"/>).
/// </summary>
public static class TraceReader
{
    /// <summary>The lines of <paramref name="path"/>, lazily, each in an array of its own (safe to keep).</summary>
    public static IEnumerable<TraceInput> Lines(string path, int maxLineBytes = TraceFormat.DefaultMaxLineBytes) =>
        Read(path, maxLineBytes, lend: false);

    /// <summary>
    /// The lines of <paramref name="path"/>, lazily, each lent from the reader's one line buffer: valid until the
    /// next line is asked for, so a consumer that keeps a line must copy it. The verifier, diff and replay folds
    /// keep only what they parse out of a line; lending saves a copy of every line and its fresh pages (on a
    /// trace of 16.8 MB lines, about a fifth of <c>cm verify</c>'s time: docs/performance.md).
    /// </summary>
    public static IEnumerable<TraceInput> Lend(string path, int maxLineBytes = TraceFormat.DefaultMaxLineBytes) =>
        Read(path, maxLineBytes, lend: true);

    private static IEnumerable<TraceInput> Read(string path, int maxLineBytes, bool lend)
    {
        var (file, openError) = Open(path);
        if (file is null)
        {
            yield return new TraceInput.Unreadable(1, "file", "a readable trace file", openError!);
            yield break;
        }
        using (file)
        {
            var line = new ArrayBufferWriter<byte>(4096);
            var chunk = new byte[1 << 20];
            var number = 1;
            long longest = 0, handedOut = 0;
            while (true)
            {
                var (read, error) = ReadChunk(file, chunk);
                if (error is not null)
                {
                    yield return new TraceInput.Unreadable(number, "file", "a readable trace file", error);
                    yield break;
                }
                if (read == 0) break;
                var rest = chunk.AsMemory(0, read);
                while (!rest.IsEmpty)
                {
                    var nl = rest.Span.IndexOf((byte)'\n');
                    var part = nl < 0 ? rest : rest[..nl];
                    if (line.WrittenCount + part.Length > maxLineBytes)
                    {
                        yield return TraceInput.TooLong(number, maxLineBytes);
                        yield break;
                    }
                    line.Write(part.Span);
                    if (nl < 0) break;
                    longest = Math.Max(longest, line.WrittenCount);
                    handedOut += line.WrittenCount;
                    yield return new TraceInput.Line(number++, lend ? line.WrittenMemory : line.WrittenSpan.ToArray(), true);
                    line.ResetWrittenCount();
                    if (ReadMemoryBound.Due(handedOut, longest))
                    {
                        ReadMemoryBound.Collect();
                        handedOut = 0;
                    }
                    rest = rest[(nl + 1)..];
                }
            }
            if (line.WrittenCount > 0) yield return new TraceInput.Line(number, lend ? line.WrittenMemory : line.WrittenSpan.ToArray(), false);
        }
    }

    private static (FileStream? File, string? Error) Open(string path)
    {
        // Only regular files: /dev/zero never ends, a FIFO blocks the open, a folder is not a trace.
        var type = Cm.Runtime.Files.FileKind.Of(path);
        if (type != Cm.Runtime.Files.FileType.Regular)
            return (null, type == Cm.Runtime.Files.FileType.Missing ? $"no such file '{Clip(path)}'" : $"'{Clip(path)}': {Cm.Runtime.Files.FileKind.Describe(type)}");
        try
        {
            return (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return (null, e.Message);
        }
    }

    private static string Clip(string s) => s.Length <= 200 ? s : s[..197] + "...";

    private static (int Read, string? Error) ReadChunk(FileStream file, byte[] chunk)
    {
        try
        {
            return (file.Read(chunk, 0, chunk.Length), null);
        }
        catch (IOException e)
        {
            return (0, e.Message);
        }
    }
}
