using Cm.Runtime.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Attestations;

/// <summary>Reads small files (keys, attestations) whole, refusing anything larger than a stated limit before reading it.</summary>
public static class BoundedFile
{
    /// <summary>The bytes of a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    public static Fin<byte[]> Read(string path, int maxBytes, Func<string, Pure.Errors.CmError> error)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return FinFail<byte[]>(error(Directory.Exists(path) ? "it is a folder, not a file" : "no such file"));
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[maxBytes + 1];
            var n = 0;
            int read;
            while (n < buffer.Length && (read = stream.Read(buffer, n, buffer.Length - n)) > 0) n += read;
            return n > maxBytes
                ? FinFail<byte[]>(error($"larger than {maxBytes} bytes, which no such file is; not read"))
                : FinSucc(buffer[..n]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<byte[]>(error(e.Message));
        }
    }
}
