using System.Diagnostics.Contracts;

namespace Cm.Cli.Rendering;

/// <summary>The labels <c>cm sample</c> puts over its tiles: the sample index and, for class-conditional models, the class.</summary>
public static class TileLabels
{
    /// <summary><c>#0</c>, <c>#1</c>, … or <c>#0 C207</c> when class labels are given (one per sample).</summary>
    [Pure]
    public static IReadOnlyList<string> For(int count, IReadOnlyList<int>? classLabels = null) =>
        [.. Enumerable.Range(0, count).Select(i =>
            classLabels is null || i >= classLabels.Count ? $"#{i}" : $"#{i} C{classLabels[i]}")];
}
