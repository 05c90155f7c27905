using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Verification;

/// <summary>The spelling of <see cref="VerificationLevel"/> in reports, policies and attestations: one home.</summary>
public static class VerificationLevels
{
    /// <summary>Every level, weakest first (the order reports list them in).</summary>
    public static readonly Seq<VerificationLevel> All = toSeq(Enum.GetValues<VerificationLevel>());

    /// <summary>The lowercase name: <c>chain</c>, <c>recomputed</c>, <c>seeded</c>, <c>signed</c>, <c>replayed</c>.</summary>
    public static string Name(this VerificationLevel level) => level.ToString().ToLowerInvariant();

    /// <summary>The level a name spells, if any.</summary>
    public static Option<VerificationLevel> Parse(string name) =>
        All.Find(l => l.Name() == name.Trim().ToLowerInvariant());

    /// <summary>A set of levels in the report order, e.g. <c>chain, recomputed, seeded</c>.</summary>
    public static string Show(Set<VerificationLevel> levels) =>
        levels.IsEmpty ? "none" : string.Join(", ", All.Filter(levels.Contains).Map(Name));
}
