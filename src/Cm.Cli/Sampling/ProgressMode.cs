namespace Cm.Cli.Sampling;

/// <summary>
/// <c>--progress</c> of <c>cm sample</c>. The rule (docs/cli.md): <c>auto</c> shows the bar when stderr is a
/// terminal and nothing otherwise; <c>plain</c> prints one text line per step to stderr (CI logs);
/// <c>--quiet</c> is <c>none</c>. stdout plays no part: results may be piped while the bar runs.
/// </summary>
public enum ProgressMode
{
    /// <summary>The bar when stderr is a terminal, else nothing.</summary>
    Auto,
    /// <summary>Always the bar (on a non-terminal Spectre draws it once, at the end).</summary>
    Bar,
    /// <summary>One plain line per step on stderr.</summary>
    Plain,
    /// <summary>Nothing.</summary>
    None,
}

/// <summary>What <see cref="ProgressMode"/> means in a given process.</summary>
public static class ProgressModes
{
    /// <summary>The display actually used: <paramref name="quiet"/> wins; auto becomes bar on a terminal stderr, else none.</summary>
    public static ProgressMode Resolve(ProgressMode asked, bool quiet, bool stderrIsTerminal) =>
        quiet ? ProgressMode.None
        : asked == ProgressMode.Auto ? (stderrIsTerminal ? ProgressMode.Bar : ProgressMode.None)
        : asked;
}
