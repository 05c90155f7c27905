using Cm.Pure.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Verification;

/// <summary>
/// The levels a run must reach to be accepted. <c>chain</c> is always required. The default fails
/// closed: <c>seeded</c> (a trace whose noise is only recorded is refused unless the caller lowers the
/// policy), and <c>signed</c> as soon as any trusted key is configured.
/// </summary>
public sealed record VerifyPolicy
{
    private VerifyPolicy(Set<VerificationLevel> required) => Required = required.AddOrUpdate(VerificationLevel.Chain);

    /// <summary>The required levels (always including <c>chain</c>).</summary>
    public Set<VerificationLevel> Required { get; }

    /// <summary>The default policy: chain and seeded, and signed when trusted keys are configured.</summary>
    public static VerifyPolicy Default(bool trustConfigured) =>
        new(trustConfigured ? Set(VerificationLevel.Seeded, VerificationLevel.Signed) : Set(VerificationLevel.Seeded));

    /// <summary>Exactly these levels (and chain).</summary>
    public static VerifyPolicy Of(params VerificationLevel[] levels) => new(toSet(levels.Distinct()));

    /// <summary>A <c>--require</c> value: comma-separated level names, e.g. <c>seeded,signed</c>.</summary>
    public static Fin<VerifyPolicy> Parse(string names) =>
        toSeq(names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Sequence(n => VerificationLevels.Parse(n).ToFin(new UnknownLevel(n)))
            .Bind(levels => levels.IsEmpty ? FinFail<VerifyPolicy>(new UnknownLevel(names)) : FinSucc(new VerifyPolicy(toSet(levels.Distinct()))));

    /// <summary>
    /// The decision on a report: the levels reached when nothing failed and every required level was
    /// reached; otherwise the failure (named by level) or what is missing and why.
    /// </summary>
    public Fin<Set<VerificationLevel>> Decide(LevelReport report) =>
        report.Failure.Match(
            Some: f => FinFail<Set<VerificationLevel>>(f),
            None: () =>
            {
                var missing = Required - report.Reached;
                return missing.IsEmpty
                    ? FinSucc(report.Reached)
                    : FinFail<Set<VerificationLevel>>(new PolicyNotMet(missing, report.Reached,
                        report.Unreached.Filter(u => missing.Contains(u.Level)).Map(u => $"{u.Level.Name()}: {u.Why}")));
            });
}
