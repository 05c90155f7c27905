using Cm.Pure.Tensors;
using Cm.Pure.Schedules.Arithmetic;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>The outcome of a replay: the first divergence from the trace (none when the re-run matches), the steps re-run, and the sample reached.</summary>
public sealed record ReplayReport(Option<TraceFailure> Divergence, int Steps, Option<Tensor<float>> Final)
{
    /// <summary>True when the re-run reproduced the trace.</summary>
    public bool Ok => Divergence.IsNone;

    /// <summary>The process exit code of <c>cm replay</c>: 0 when reproduced, 3 when not.</summary>
    public int ExitCode => Ok ? 0 : 3;

    /// <summary>The schedule arithmetic the run was replayed with (None when no header was read).</summary>
    public Option<ScheduleMath> ScheduleMath { get; init; }

    /// <summary>How the arithmetic was chosen when the header names none.</summary>
    public Option<string> Note { get; init; }

    /// <inheritdoc/>
    public override string ToString() =>
        Divergence.Match(f => "DIVERGED " + f.Message, () => $"REPRODUCED: {Steps} steps re-run, every hash matches")
        + Note.Match(n => "; " + n, () => "");
}
