using Cm.Pure.Tensors;
using Cm.Pure.Schedules.Arithmetic;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// The outcome of a replay: the verifier's report over the same lines (with <c>replayed</c> reached when
/// the re-run matched, or the first divergence named at that level), the steps re-run and the sample
/// reached. Data only: the CLI decides exit codes.
/// </summary>
public sealed record ReplayReport(VerifyReport Verification, int Steps, Option<Tensor<float>> Final)
{
    /// <summary>True when every check passed and the re-run reproduced the trace.</summary>
    public bool Ok => Verification.Ok;

    /// <summary>The first failure or divergence, as (line, step, field, expected, found).</summary>
    public Option<TraceFailure> Divergence => Verification.Failure;

    /// <summary>The schedule arithmetic the run was replayed with (None when no header was read).</summary>
    public Option<ScheduleMath> ScheduleMath => Verification.ScheduleMath;

    /// <summary>How the arithmetic was chosen when the header names none.</summary>
    public Option<string> Note { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Verification.Levels.Failure.Match(
        f => "DIVERGED " + f.Message,
        () => $"REPRODUCED: {Steps} steps re-run, every hash matches; {Verification.Levels}") + Note.Match(n => "; " + n, () => "");
}
