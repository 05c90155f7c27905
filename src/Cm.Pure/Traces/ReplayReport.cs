using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>The outcome of a replay: the first divergence from the trace (none when the re-run matches), the steps re-run, and the sample reached.</summary>
public sealed record ReplayReport(Option<TraceFailure> Divergence, int Steps, Option<Tensor<float>> Final)
{
    /// <summary>True when the re-run reproduced the trace.</summary>
    public bool Ok => Divergence.IsNone;

    /// <summary>The process exit code of <c>cm replay</c>: 0 when reproduced, 3 when not.</summary>
    public int ExitCode => Ok ? 0 : 3;

    /// <inheritdoc/>
    public override string ToString() =>
        Divergence.Match(f => "DIVERGED " + f.Message, () => $"REPRODUCED: {Steps} steps re-run, every hash matches");
}
