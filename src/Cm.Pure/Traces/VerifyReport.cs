using Cm.Pure.Schedules.Arithmetic;
using Cm.Pure.Verification;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// The verdict on a trace: the levels it reached (or the first failure, named by the level whose check
/// caught it), so a pass never claims more than was proved, plus what a signer or a policy needs: the
/// header and the final chain hash. Data only: the CLI decides exit codes.
/// </summary>
/// <param name="Levels">Failure, levels reached, and why the others were not.</param>
/// <param name="Lines">Lines read.</param>
/// <param name="Steps">Step records accepted.</param>
/// <param name="Complete">Whether a footer sealed a completed run.</param>
/// <param name="Header">The header, once accepted.</param>
/// <param name="FinalChainHash">SHA-256 of the footer line: the hash that seals the chain.</param>
public sealed record VerifyReport(
    LevelReport Levels, int Lines, int Steps, bool Complete, Option<HeaderLine> Header, Option<string> FinalChainHash)
{
    /// <summary>True when no check failed (the policy decides whether the levels reached are enough).</summary>
    public bool Ok => Levels.Ok;

    /// <summary>The first failure, as (line, step, field, expected, found).</summary>
    public Option<TraceFailure> Failure => Levels.Failure.Bind(f => f.Trace);

    /// <summary>Whether every step was recomputed from inline tensors, bit for bit.</summary>
    public bool StepsRecomputed => Levels.Reached.Contains(VerificationLevel.Recomputed);

    /// <summary>Whether the initial sample and the noise were redrawn from the header's generator.</summary>
    public bool NoiseRegenerated => Levels.Reached.Contains(VerificationLevel.Seeded);

    /// <summary>This report with its levels changed (e.g. a signature checked).</summary>
    public VerifyReport With(Func<LevelReport, LevelReport> f) => this with { Levels = f(Levels) };

    /// <summary>The schedule arithmetic the trace was checked against (None when no header was read).</summary>
    public Option<ScheduleMath> ScheduleMath { get; init; }

    /// <summary>Whether the header named <see cref="ScheduleMath"/> (false: assumed, or found by trying each).</summary>
    public bool ScheduleMathRecorded { get; init; }

    /// <summary>How the schedule arithmetic was chosen when the header names none (which variants matched).</summary>
    public Option<string> Note { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Levels.Failure.Match(
        f => "FAILED " + f.Message,
        () => $"{Steps} steps, chain sealed; {Levels}") + Note.Match(n => "; " + n, () => "");
}
