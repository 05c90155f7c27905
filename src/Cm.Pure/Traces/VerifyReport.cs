using Cm.Pure.Schedules.Arithmetic;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// The verdict on a trace: the first failure (none when it verified), and what was actually checked,
/// so a pass never claims more than was proved.
/// </summary>
/// <param name="Failure">The first failure, as (line, step, field, expected, found).</param>
/// <param name="Lines">Lines read.</param>
/// <param name="Steps">Step records accepted.</param>
/// <param name="Complete">Whether a footer sealed a completed run.</param>
/// <param name="StepsRecomputed">Whether every step was recomputed from inline tensors, bit for bit.</param>
/// <param name="NoiseRegenerated">Whether the initial sample and the noise were redrawn from the header's generator.</param>
/// <param name="Notes">What could not be checked, and why.</param>
public sealed record VerifyReport(
    Option<TraceFailure> Failure, int Lines, int Steps, bool Complete, bool StepsRecomputed, bool NoiseRegenerated, Seq<string> Notes)
{
    /// <summary>True when nothing failed.</summary>
    public bool Ok => Failure.IsNone;

    /// <summary>The process exit code of <c>cm verify</c>: 0 when verified, 3 when not.</summary>
    public int ExitCode => Ok ? 0 : 3;

    /// <summary>The schedule arithmetic the trace was checked against (None when no header was read).</summary>
    public Option<ScheduleMath> ScheduleMath { get; init; }

    /// <summary>Whether the header named <see cref="ScheduleMath"/> (false: assumed, or found by trying each).</summary>
    public bool ScheduleMathRecorded { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Failure.Match(
        f => "FAILED " + f.Message + string.Concat(Notes.Map(n => "; " + n)),
        () => $"OK: {Steps} steps, chain sealed"
              + (StepsRecomputed ? ", every step recomputed bit for bit" : "")
              + (NoiseRegenerated ? ", noise regenerated from the seed" : "")
              + string.Concat(Notes.Map(n => "; " + n)));
}
