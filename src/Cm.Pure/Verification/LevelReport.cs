using Cm.Pure.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Verification;

/// <summary>A level that was not reached, and why (no inline tensors, recorded noise, no attestation…).</summary>
public sealed record Unreached(VerificationLevel Level, string Why);

/// <summary>
/// What a check of a run proved: the first failure (named by the level whose check caught it), the levels
/// reached, and for every other level why it was not. Data only: the CLI maps it to an exit code.
/// </summary>
public sealed record LevelReport(Option<VerificationFailed> Failure, Set<VerificationLevel> Reached, Seq<Unreached> Unreached)
{
    /// <summary>Nothing checked yet.</summary>
    public static LevelReport Empty { get; } = new(None, Set<VerificationLevel>(), Seq<Unreached>());

    /// <summary>True when no check failed (whatever the levels reached).</summary>
    public bool Ok => Failure.IsNone;

    /// <summary>This report with one more level reached (unless a check already failed).</summary>
    public LevelReport Reach(VerificationLevel level) =>
        Failure.IsSome ? this : this with { Reached = Reached.AddOrUpdate(level), Unreached = Unreached.Filter(u => u.Level != level) };

    /// <summary>This report with a level not reached, and why.</summary>
    public LevelReport Miss(VerificationLevel level, string why) =>
        this with { Reached = Reached.Remove(level), Unreached = Unreached.Filter(u => u.Level != level).Add(new Unreached(level, why)) };

    /// <summary>This report failed at <paramref name="failure"/>'s level: nothing counts as reached any more.</summary>
    public LevelReport Fail(VerificationFailed failure) =>
        Failure.IsSome ? this : this with { Failure = failure, Reached = Set<VerificationLevel>() };

    /// <inheritdoc/>
    public override string ToString() => Failure.Match(
        f => "FAILED " + f.Message,
        () => "levels reached: " + VerificationLevels.Show(Reached)
              + string.Concat(Unreached.Map(u => $"; not {u.Level.Name()}: {u.Why}")));
}
