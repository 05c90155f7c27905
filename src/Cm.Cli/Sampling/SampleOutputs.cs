using System.Diagnostics.Contracts;
using Cm.Runtime.Files;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Sampling;

/// <summary>Where <c>cm sample</c> writes: stdout (<c>--out -</c>), or the files, all checked before the run.</summary>
/// <param name="ToStdout">The samples go to stdout as bytes.</param>
/// <param name="Paths">The files, one (a grid or an array) or one per sample (<c>--per-sample</c>).</param>
/// <param name="Explicit">Whether the user named them (<c>--out</c>): only then does an existing file need <c>--force</c>.</param>
public sealed record OutputPlan(bool ToStdout, Seq<string> Paths, bool Explicit);

/// <summary>
/// Names and checks the outputs. The rule (docs/cli.md): an explicit <c>--out</c> is never replaced without
/// <c>--force</c>; without <c>--out</c> the default name never collides: <c>samples.png</c>, else the first free
/// <c>samples-2.png</c>, <c>samples-3.png</c>, … so the quick start can be run again and again.
/// </summary>
public static class SampleOutputs
{
    /// <summary>The default stem.</summary>
    public const string DefaultStem = "samples";

    /// <summary>The plan for <c>--out</c> <paramref name="out"/> (null when not given).</summary>
    [Pure]
    public static Fin<OutputPlan> Plan(string? @out, SampleFormat format, bool perSample, bool force, int batch)
    {
        var ext = format == SampleFormat.Npy ? ".npy" : ".png";
        if (@out == "-")
            return perSample
                ? FinFail<OutputPlan>(new UsageProblem("--out - writes one stream to stdout; --per-sample writes one file per sample: give --out FILE with --per-sample"))
                : FinSucc(new OutputPlan(true, Seq<string>(), true));
        if (@out is not null)
        {
            var paths = perSample ? PerSampleNames(StemOf(@out), ExtOf(@out, ext), batch) : Seq1(@out);
            return paths.Fold(FinSucc(unit), (acc, p) => acc.Bind(_ => AtomicFile.CheckTarget(p, force).Map(_ => unit)))
                .Map(_ => new OutputPlan(false, paths, true));
        }
        for (var k = 1; k < 100_000; k++)
        {
            var stem = k == 1 ? DefaultStem : $"{DefaultStem}-{k}";
            var paths = perSample ? PerSampleNames(stem, ext, batch) : Seq1(stem + ext);
            if (paths.ForAll(p => !File.Exists(p) && !Directory.Exists(p)))
                return paths.Fold(FinSucc(unit), (acc, p) => acc.Bind(_ => AtomicFile.CheckTarget(p, false).Map(_ => unit)))
                    .Map(_ => new OutputPlan(false, paths, false));
        }
        return FinFail<OutputPlan>(new UsageProblem($"every default output name from {DefaultStem}{ext} to {DefaultStem}-99999{ext} is taken; give --out FILE"));
    }

    /// <summary><c>stem-000.ext</c> … one per sample, zero-padded to at least three digits.</summary>
    [Pure]
    public static Seq<string> PerSampleNames(string stem, string ext, int batch)
    {
        var width = Math.Max(3, (batch - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return toSeq(Enumerable.Range(0, batch).Select(i => $"{stem}-{i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0')}{ext}")).Strict();
    }

    private static string StemOf(string path)
    {
        var ext = Path.GetExtension(path);
        return ext.Length > 0 ? path[..^ext.Length] : path;
    }

    private static string ExtOf(string path, string fallback) =>
        Path.GetExtension(path) is { Length: > 0 } e ? e : fallback;
}
