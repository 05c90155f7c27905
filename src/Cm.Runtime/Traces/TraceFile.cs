using Cm.Pure.Noise;
using Cm.Pure.Traces;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Traces;

/// <summary>
/// The trace operations on files, one call each, for <c>cm verify</c>, <c>cm replay</c> and <c>cm diff</c>:
/// the pure folds of Cm.Pure.Traces fed by the streaming <see cref="TraceReader"/>.
/// </summary>
public static class TraceFile
{
    /// <summary>Verifies a trace file; <paramref name="noiseFor"/> rebuilds the header's generator when it can.</summary>
    public static VerifyReport Verify(string path, Func<NoiseSpec, Option<INoise>>? noiseFor = null, int maxElements = TraceLimits.DefaultMaxElements) =>
        TraceVerifier.Verify(TraceReader.Lines(path), Options(noiseFor, maxElements));

    /// <summary>
    /// The first divergence of two trace files, or none; an error when either is not a readable, non-empty
    /// regular file (a missing file, a folder or <c>/dev/zero</c> is not a trace, so "no divergence" would lie).
    /// </summary>
    public static Fin<Option<Divergence>> Diff(string a, string b, IReadOnlySet<string>? ignored = null) =>
        from ra in Readable(a)
        from rb in Readable(b)
        select TraceDiff.First(TraceReader.Lines(a), TraceReader.Lines(b), ignored ?? new System.Collections.Generic.HashSet<string>());

    /// <summary>The path when it names a non-empty regular file, else why it is not a trace file.</summary>
    public static Fin<string> Readable(string path)
    {
        var type = Files.FileKind.Of(path);
        if (type != Files.FileType.Regular)
            return new Errors.FileUnreadable(path, Files.FileKind.Describe(type) + "; give a trace file (JSON Lines)");
        try
        {
            return new FileInfo(path).Length > 0 ? path : new Errors.FileUnreadable(path, "the file is empty; a trace starts with a header line");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Errors.FileUnreadable(path, e.Message);
        }
    }

    /// <summary>Re-runs a traced run with a model and compares it with the trace step by step.</summary>
    public static ReplayReport Replay(string path, TraceReplay.Model model, Func<NoiseSpec, Option<INoise>>? noiseFor = null, int maxElements = TraceLimits.DefaultMaxElements) =>
        TraceReplay.Replay(TraceReader.Lines(path), model, Options(noiseFor, maxElements));

    private static VerifyOptions Options(Func<NoiseSpec, Option<INoise>>? noiseFor, int maxElements) =>
        (noiseFor is null ? VerifyOptions.Default : new VerifyOptions(noiseFor)) with { MaxElements = maxElements };
}
