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
        TraceVerifier.Verify(TraceReader.Lines(path), Options(noiseFor));

    /// <summary>The first divergence of two trace files, or none.</summary>
    public static Option<Divergence> Diff(string a, string b, IReadOnlySet<string>? ignored = null) =>
        TraceDiff.First(TraceReader.Lines(a), TraceReader.Lines(b), ignored ?? new System.Collections.Generic.HashSet<string>());

    /// <summary>Re-runs a traced run with a model and compares it with the trace step by step (every verifier check included).</summary>
    public static ReplayReport Replay(string path, Func<ModelCall, Fin<float[]>> model, Func<NoiseSpec, Option<INoise>>? noiseFor = null) =>
        Replay(TraceReader.Lines(path), model, Options(noiseFor));

    /// <summary>
    /// The replay loop: the pure fold <see cref="TraceReplay"/> over the lines, with the model evaluated
    /// here, between <see cref="TraceReplay.Next"/> and <see cref="TraceReplay.Resume"/>. Stops at the first failure.
    /// </summary>
    public static ReplayReport Replay(IEnumerable<TraceInput> lines, Func<ModelCall, Fin<float[]>> model, VerifyOptions options) =>
        TraceReplay.UnderEachArithmetic(options, o => ReplayUnder(lines, model, o));

    private static ReplayReport ReplayUnder(IEnumerable<TraceInput> lines, Func<ModelCall, Fin<float[]>> model, VerifyOptions options)
    {
        var state = TraceReplay.Start(options);
        foreach (var input in lines)
        {
            state = TraceReplay.Next(state, input) switch
            {
                ReplayStep.NeedsModel call => TraceReplay.Resume(call, model(call.Call)),
                ReplayStep.Advanced a => a.State,
                _ => state,
            };
            if (state.Failed) break;
        }
        return TraceReplay.Finish(state);
    }

    private static VerifyOptions Options(Func<NoiseSpec, Option<INoise>>? noiseFor) =>
        noiseFor is null ? VerifyOptions.Default : new VerifyOptions(noiseFor);
}
