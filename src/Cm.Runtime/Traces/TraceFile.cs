using Cm.Pure.Noise;
using Cm.Pure.Traces;
using LanguageExt;

namespace Cm.Runtime.Traces;

/// <summary>
/// The trace operations on files, one call each, for <c>cm verify</c>, <c>cm replay</c> and <c>cm diff</c>:
/// the pure folds of Cm.Pure.Traces fed by the streaming <see cref="TraceReader"/>.
/// </summary>
public static class TraceFile
{
    /// <summary>Verifies a trace file; <paramref name="noiseFor"/> rebuilds the header's generator when it can.</summary>
    public static VerifyReport Verify(string path, Func<NoiseSpec, Option<INoise>>? noiseFor = null) =>
        TraceVerifier.Verify(TraceReader.Lines(path), noiseFor is null ? VerifyOptions.Default : new VerifyOptions(noiseFor));

    /// <summary>The first divergence of two trace files, or none.</summary>
    public static Option<Divergence> Diff(string a, string b) =>
        TraceDiff.First(TraceReader.Lines(a), TraceReader.Lines(b));

    /// <summary>Re-runs a traced run with a model and compares it with the trace step by step.</summary>
    public static ReplayReport Replay(string path, TraceReplay.Model model, Func<NoiseSpec, Option<INoise>>? noiseFor = null) =>
        TraceReplay.Replay(TraceReader.Lines(path), model, noiseFor is null ? VerifyOptions.Default : new VerifyOptions(noiseFor));
}
