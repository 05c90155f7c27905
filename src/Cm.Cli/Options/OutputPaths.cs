namespace Cm.Cli.Options;

/// <summary>Whether two output paths name one file (<c>a.png</c> and <c>./a.png</c>, or a link to it), so one output would overwrite the other.</summary>
public static class OutputPaths
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> resolve to the same file.</summary>
    public static bool Same(string a, string b) =>
        string.Equals(Resolve(a), Resolve(b), StringComparison.Ordinal);

    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var target = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true);
            return target is null ? full : Path.GetFullPath(target.FullName);
        }
        catch (IOException)
        {
            return full;
        }
    }
}
