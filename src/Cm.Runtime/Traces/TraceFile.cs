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
        TraceVerifier.Verify(TraceReader.Lend(path, LineLimit(path)), Options(noiseFor, maxElements));

    /// <summary>
    /// The first divergence of two trace files, or none; an error when either is not a readable, non-empty
    /// regular file (a missing file, a folder or <c>/dev/zero</c> is not a trace, so "no divergence" would lie).
    /// </summary>
    public static Fin<Option<Divergence>> Diff(string a, string b, IReadOnlySet<string>? ignored = null) =>
        from ra in Readable(a)
        from rb in Readable(b)
        select TraceDiff.First(TraceReader.Lend(a), TraceReader.Lend(b), ignored ?? new System.Collections.Generic.HashSet<string>());

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

    /// <summary>Re-runs a traced run with a model and compares it with the trace step by step (every verifier check included).</summary>
    public static ReplayReport Replay(string path, Func<ModelCall, Fin<float[]>> model, Func<NoiseSpec, Option<INoise>>? noiseFor = null,
        int maxElements = TraceLimits.DefaultMaxElements) =>
        Replay(TraceReader.Lend(path, LineLimit(path)), model, Options(noiseFor, maxElements));

    /// <summary>
    /// The replay loop: the pure fold <see cref="TraceReplay"/> over the lines, with the model evaluated
    /// here, between <see cref="TraceReplay.Next"/> and <see cref="TraceReplay.Resume"/>. Stops at the first failure.
    /// </summary>
    public static ReplayReport Replay(IEnumerable<TraceInput> lines, Func<ModelCall, Fin<float[]>> model, VerifyOptions options) =>
        TraceReplay.Replay(lines, model, options);

    /// <summary>
    /// The longest line worth reading in <paramref name="path"/>: what its header's shape allows (a step line with
    /// four inline tensors of that shape, or a hash-only step line), never more than the format's 256 MiB. A longer
    /// line cannot belong to a valid trace of that header, so it is refused unread instead of being buffered;
    /// without a parseable header the format's limit applies and the verifier reports the header.
    /// </summary>
    public static int LineLimit(string path)
    {
        var first = TraceReader.Lines(path).Take(1).ToList();
        if (first is not [TraceInput.Line line]) return TraceFormat.DefaultMaxLineBytes;
        return TraceParser.Parse(1, line.Bytes).Match(
            Succ: l => l is HeaderLine h
                ? (int)Math.Min(TraceFormat.DefaultMaxLineBytes, Math.Max(line.Bytes.Length,
                    (h.InlineTensors ? 4 * ((h.Run.SampleShape.Count * 4L + 2) / 3 * 4) : 0) + StepLineSlack))
                : TraceFormat.DefaultMaxLineBytes,
            Fail: _ => TraceFormat.DefaultMaxLineBytes);
    }

    // Room for a step line's keys, scalars, hashes and generator position beside its tensors (a hash-only step line is about 1.3 KB).
    private const int StepLineSlack = 64 * 1024;

    private static VerifyOptions Options(Func<NoiseSpec, Option<INoise>>? noiseFor, int maxElements) =>
        (noiseFor is null ? VerifyOptions.Default : new VerifyOptions(noiseFor)) with { MaxElements = maxElements };
}
