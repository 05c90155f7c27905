using System.Runtime.InteropServices;

namespace Cm.Runtime.Files;

/// <summary>What a path names, by the type bits of <c>stat(2)</c> (symbolic links followed).</summary>
public enum FileType
{
    /// <summary>Nothing there (or it cannot be examined).</summary>
    Missing,
    /// <summary>A regular file: the only kind Cm reads or replaces.</summary>
    Regular,
    /// <summary>A folder.</summary>
    Directory,
    /// <summary>A character or block device (<c>/dev/zero</c>, <c>/dev/null</c>), a FIFO or a socket: endless, blocking or not data.</summary>
    Special,
}

/// <summary>
/// Tells regular files from devices, FIFOs and sockets, which .NET reports alike (a <c>FileInfo</c> of
/// <c>/dev/zero</c> is an existing file of length 0). Reading <c>/dev/zero</c> never ends and opening a FIFO
/// blocks, so every file Cm reads or replaces is checked here first. Uses the runtime's own native shim
/// (<c>SystemNative_Stat</c>, whose mode bits .NET normalises on every Unix); elsewhere it falls back to
/// what <see cref="File"/> and <see cref="Directory"/> can say.
/// </summary>
public static class FileKind
{
    private const int TypeMask = 0xF000, RegularBits = 0x8000, DirectoryBits = 0x4000;

    /// <summary>The type of <paramref name="path"/>.</summary>
    public static FileType Of(string path)
    {
        if (string.IsNullOrEmpty(path)) return FileType.Missing;
        if (OperatingSystem.IsWindows()) return Fallback(path);
        try
        {
            var buffer = new byte[512];
            if (Stat(path, buffer) != 0) return FileType.Missing;
            return (BitConverter.ToInt32(buffer, 4) & TypeMask) switch
            {
                RegularBits => FileType.Regular,
                DirectoryBits => FileType.Directory,
                _ => FileType.Special,
            };
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Fallback(path);
        }
    }

    /// <summary>A phrase for a path that is not a regular file, for messages.</summary>
    public static string Describe(FileType type) => type switch
    {
        FileType.Missing => "no such file",
        FileType.Directory => "it is a folder",
        FileType.Special => "it is not a regular file (a device, FIFO or socket)",
        _ => "a regular file",
    };

    private static FileType Fallback(string path) =>
        Directory.Exists(path) ? FileType.Directory : File.Exists(path) ? FileType.Regular : FileType.Missing;

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] output);
}
