using Cm.Pure.Verification;
using LanguageExt;

namespace Cm.Pure.Errors;

/// <summary>
/// Every check that ran passed, but the policy requires a level that was not reached (e.g. <c>seeded</c>
/// for a trace whose noise is only recorded, or <c>signed</c> without a trusted signature).
/// </summary>
public sealed record PolicyNotMet(Set<VerificationLevel> Missing, Set<VerificationLevel> Reached, Seq<string> Why)
    : CmError(
        $"the policy requires {VerificationLevels.Show(Missing)}, not reached (reached: {VerificationLevels.Show(Reached)})"
        + string.Concat(Why.Map(w => "; " + w))
        + ". Lower the policy with --require LEVELS only if that is what you mean to accept.",
        ErrorKind.InvalidInput, 1802);
