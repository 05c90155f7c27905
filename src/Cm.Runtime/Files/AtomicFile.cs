using Cm.Pure.Functional;
using Cm.Runtime.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Files;

/// <summary>
/// Writes a whole file or nothing: the bytes go to a temporary file in the same folder (same file
/// system, so the rename is atomic), which is flushed to disk and then renamed onto the target. Without
/// <c>overwrite</c> the rename itself refuses an existing target, so a file that appeared meanwhile is
/// not clobbered either. A failure leaves any existing file untouched and removes the temporary file. The
/// temporary file is visible, named after the target (<c>NAME.cm-PID-RANDOM.tmp</c>, <see cref="TempNames"/>):
/// a run killed during the write can leave it, and the next write to the same target removes it. A target
/// that exists and is not a regular file (a device such as <c>/dev/null</c>, a FIFO) is never replaced.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Checks, before any work is done, that <paramref name="path"/> can be written: its folder exists and,
    /// unless <paramref name="overwrite"/>, nothing is there yet.
    /// </summary>
    public static Fin<string> CheckTarget(string path, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (Directory.Exists(full))
            return FinFail<string>(new OutputNotWritable(path, "it is a folder; give a file name"));
        if (dir is null || !Directory.Exists(dir))
            return FinFail<string>(new OutputNotWritable(path, $"the folder '{dir}' does not exist; create it first"));
        var type = FileKind.Of(full);
        if (type == FileType.Special)
            return FinFail<string>(new OutputNotWritable(path, "it is not a regular file (a device, FIFO or socket), which Cm never replaces; give a file name"));
        if (!overwrite && type != FileType.Missing)
            return FinFail<string>(new OutputExists(path));
        return FinSucc(full);
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static Fin<Unit> Write(string path, byte[] bytes, bool overwrite) =>
        WriteWith(path, stream => { stream.Write(bytes); return FinSucc(unit); }, overwrite, null);

    /// <summary>Writes atomically a file created with <paramref name="mode"/> (e.g. a private key, 0600: never readable by others, not even as a temporary file).</summary>
    public static Fin<Unit> Write(string path, byte[] bytes, bool overwrite, UnixFileMode mode) =>
        WriteWith(path, stream => { stream.Write(bytes); return FinSucc(unit); }, overwrite, mode);

    /// <summary>
    /// Writes whatever <paramref name="write"/> puts into the stream to <paramref name="path"/> atomically,
    /// for files too large to hold in memory (merged samples); a failure it returns leaves nothing behind.
    /// </summary>
    public static Fin<Unit> WriteWith(string path, Func<Stream, Fin<Unit>> write, bool overwrite) =>
        WriteWith(path, write, overwrite, null);

    private static Fin<Unit> WriteWith(string path, Func<Stream, Fin<Unit>> write, bool overwrite, UnixFileMode? mode) =>
        CheckTarget(path, overwrite).Bind(full => WriteChecked(path, full, write, overwrite, mode));

    private static Fin<Unit> WriteChecked(string path, string full, Func<Stream, Fin<Unit>> write, bool overwrite, UnixFileMode? mode)
    {
        // A visible NAME.cm-PID-RANDOM.tmp beside the target; ones left by killed runs are removed first.
        TempNames.RemoveStale(full, "tmp");
        var temp = TempNames.For(full, "tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
            if (mode is { } m && !OperatingSystem.IsWindows()) options.UnixCreateMode = m;
            using (var stream = new FileStream(temp, options))
            {
                if (!write(stream).Try(out _, out var notWritten)) return FinFail<Unit>(notWritten);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite);
            return FinSucc(unit);
        }
        catch (IOException) when (!overwrite && File.Exists(full))
        {
            return FinFail<Unit>(new OutputExists(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<Unit>(new WriteFailed(path, e.Message));
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    public static Fin<Unit> WriteText(string path, string text, bool overwrite) =>
        Write(path, new System.Text.UTF8Encoding(false).GetBytes(text), overwrite);
}
