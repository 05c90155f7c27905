using System.Diagnostics;
using System.Globalization;

namespace Cm.Runtime.Files;

/// <summary>
/// Names of the temporary files Cm writes beside a target before renaming them onto it:
/// <c>NAME.cm-PID-RANDOM.SUFFIX</c>. Visible (no leading dot), unique per process and call (so two runs
/// never share one, and a user's own <c>NAME.partial</c> or <c>NAME.tmp</c> is never touched), and carrying
/// the writer's process id, so a file left by a run that was killed (kill -9) is recognised as stale and
/// removed by the next write to the same target.
/// </summary>
public static class TempNames
{
    private const string Marker = ".cm-";

    /// <summary>A fresh temporary path beside <paramref name="target"/> ending in <paramref name="suffix"/> (e.g. "tmp", "partial").</summary>
    public static string For(string target, string suffix) =>
        $"{target}{Marker}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}.{suffix}";

    /// <summary>
    /// Removes temporary files of <paramref name="target"/> with <paramref name="suffix"/> whose writer process no
    /// longer runs. Best effort: a file that cannot be removed is left alone.
    /// </summary>
    public static void RemoveStale(string target, string suffix)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(target));
            if (dir is null || !Directory.Exists(dir)) return;
            var prefix = Path.GetFileName(target) + Marker;
            foreach (var path in Directory.EnumerateFiles(dir))
            {
                var name = Path.GetFileName(path);
                if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith("." + suffix, StringComparison.Ordinal)) continue;
                var rest = Path.GetFileName(path)[prefix.Length..];
                var dash = rest.IndexOf('-');
                if (dash <= 0 || !int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
                if (pid == Environment.ProcessId || Running(pid)) continue;
                if (FileKind.Of(path) == FileType.Regular) File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Cleaning up after another run is a courtesy; it never fails this one.
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
