using Cm.Pure.Errors;
using Cm.Pure.Traces;
using Cm.Pure.Verification;
using LanguageExt;
using Xunit;
using static Cm.Pure.Verification.VerificationLevel;
using static LanguageExt.Prelude;

namespace Cm.Tests.Attestations;

/// <summary>The policy decision: fails closed by default, names what is missing and why, and never hides a failure.</summary>
public sealed class PolicyTests
{
    private static LevelReport Reached(params VerificationLevel[] levels) =>
        levels.Aggregate(LevelReport.Empty, (r, l) => r.Reach(l));

    [Fact]
    public void The_default_requires_seeded_and_signed_once_keys_are_trusted()
    {
        Assert.Equal(Set(Chain, Seeded), VerifyPolicy.Default(false).Required);
        Assert.Equal(Set(Chain, Seeded, Signed), VerifyPolicy.Default(true).Required);
    }

    [Fact]
    public void Recorded_noise_fails_the_default_policy_with_the_reason()
    {
        var report = Reached(Chain, Recomputed).Miss(Seeded, "the header says the noise is recorded");
        var e = VerifyPolicy.Default(false).Decide(report).Match(_ => throw new Xunit.Sdk.XunitException("accepted"), e => e);
        var p = Assert.IsType<PolicyNotMet>(e);
        Assert.Equal(Set(Seeded), p.Missing);
        Assert.Equal(ErrorKind.InvalidInput, p.Kind);
        Assert.Contains("seeded: the header says the noise is recorded", p.Message);
        Assert.True(VerifyPolicy.Of(Recomputed).Decide(report).IsSucc);
    }

    [Fact]
    public void A_failure_wins_over_any_policy_and_names_its_level()
    {
        var failure = new VerificationFailed(Seeded, new TraceFailure(2, Some(0), "hashes.sample", "a", "b"));
        var report = Reached(Chain, Recomputed, Seeded).Fail(failure);
        Assert.Empty(report.Reached);
        var e = VerifyPolicy.Of(Chain).Decide(report).Match(_ => throw new Xunit.Sdk.XunitException("accepted"), e => e);
        Assert.StartsWith("failed at level seeded: line 2 (step 0): hashes.sample", e.Message);
    }

    [Theory]
    [InlineData("seeded,signed", new[] { Chain, Seeded, Signed })]
    [InlineData(" chain ", new[] { Chain })]
    [InlineData("replayed,replayed", new[] { Chain, Replayed })]
    public void Require_lists_levels_and_always_includes_chain(string text, VerificationLevel[] expected)
    {
        var p = VerifyPolicy.Parse(text).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(toSet(expected), p.Required);
    }

    [Theory]
    [InlineData("seeded,sgned")]
    [InlineData("")]
    [InlineData(",")]
    public void An_unknown_level_is_a_usage_error(string text)
    {
        var e = VerifyPolicy.Parse(text).Match(_ => throw new Xunit.Sdk.XunitException("accepted"), e => e);
        Assert.Equal(ErrorKind.Usage, Assert.IsType<UnknownLevel>(e).Kind);
    }
}
