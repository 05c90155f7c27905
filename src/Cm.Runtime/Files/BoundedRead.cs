using System.Globalization;
using Cm.Runtime.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Files;

/// <summary>
/// Reads a whole small input file (a config) with its size bounded before a byte is read: only regular
/// files (never <c>/dev/zero</c>, a FIFO or a folder), and at most a stated number of bytes, so a wrong
/// path cannot make Cm read gigabytes or block.
/// </summary>
public static class BoundedRead
{
    /// <summary>The bytes of <paramref name="path"/>, or why they are not read.</summary>
    public static Fin<byte[]> Bytes(string path, long maxBytes, string what)
    {
        var type = FileKind.Of(path);
        if (type != FileType.Regular)
            return FinFail<byte[]>(new FileUnreadable(path, type == FileType.Missing
                ? "no such file; check the path"
                : FileKind.Describe(type) + $"; give a {what} file"));
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            if (stream.Length > maxBytes)
                return FinFail<byte[]>(TooLarge(path, stream.Length, maxBytes, what));
            var buffer = new byte[stream.Length];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = stream.Read(buffer, read, buffer.Length - read);
                if (n == 0) break;
                read += n;
            }
            // A file that grew while being read is refused rather than read without bound.
            if (stream.ReadByte() >= 0) return FinFail<byte[]>(TooLarge(path, stream.Length, maxBytes, what));
            return FinSucc(read == buffer.Length ? buffer : buffer[..read]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<byte[]>(new FileUnreadable(path, e.Message));
        }
    }

    private static FileUnreadable TooLarge(string path, long size, long maxBytes, string what) =>
        new(path, $"{size.ToString(CultureInfo.InvariantCulture)} bytes, over the {maxBytes.ToString(CultureInfo.InvariantCulture)}-byte limit for a {what} " +
                  "(a limit so a wrong path cannot exhaust memory); check that this is the right file");
}
