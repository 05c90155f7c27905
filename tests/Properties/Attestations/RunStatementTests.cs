using System.Text;
using System.Text.Json.Nodes;
using Cm.Pure.Attestations;
using Cm.Pure.Errors;
using Cm.Pure.Traces;
using Cm.Pure.Verification;
using Cm.Tests.Traces;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Attestations;

/// <summary>The in-toto Statement v1 of a run: its layout, its claims read back, and the check against the trace.</summary>
public sealed class RunStatementTests
{
    private static readonly byte[] Trace = GoldenTraces.Trace(GoldenTraces.Ids.First(i => i.Contains("1x1x2x3")));
    private static readonly VerifyReport Report = TraceBytes.Verify(Trace);
    private static readonly byte[] Header = TraceInput.Split(Trace).OfType<TraceInput.Line>().First().Bytes.ToArray();
    private static readonly string Digest = TensorHash.OfBytes(Trace);

    private static byte[] Statement() =>
        RunStatement.For(Report, Header, Seq(new Subject("run.jsonl", Digest), new Subject("samples.png", new string('a', 64))), "cm test")
            .Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));

    [Fact]
    public void The_statement_is_in_toto_v1_with_the_cm_run_predicate()
    {
        Assert.True(Report.Ok, Report.ToString());
        var s = JsonNode.Parse(Statement())!;
        Assert.Equal("https://in-toto.io/Statement/v1", s["_type"]!.GetValue<string>());
        Assert.Equal(RunStatement.PredicateType, s["predicateType"]!.GetValue<string>());
        Assert.Equal(Digest, s["subject"]![0]!["digest"]!["sha256"]!.GetValue<string>());
        Assert.Equal("samples.png", s["subject"]![1]!["name"]!.GetValue<string>());
        var p = s["predicate"]!;
        Assert.Equal(Report.FinalChainHash.IfNone(""), p["trace"]!["final_chain_hash"]!.GetValue<string>());
        Assert.Equal(TensorHash.OfBytes(Header), p["trace"]!["header_sha256"]!.GetValue<string>());
        Assert.Equal(JsonNode.Parse(Header)!.ToJsonString(), p["run"]!.ToJsonString());
        Assert.Equal("[\"chain\",\"recomputed\"]", p["verification"]!["levels"]!.ToJsonString());
    }

    [Fact]
    public void The_claims_read_back_and_match_the_trace()
    {
        var claims = RunStatement.Parse(Statement()).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(2, claims.Subjects.Count);
        Assert.Equal(Set(VerificationLevel.Chain, VerificationLevel.Recomputed), claims.Levels);
        Assert.True(RunStatement.Check(claims, Digest, Report).IsNone);
        var other = RunStatement.Check(claims, new string('b', 64), Report).Match(f => f, () => throw new Xunit.Sdk.XunitException("accepted"));
        Assert.Equal("subject", other.Field);
    }

    [Fact]
    public void A_trace_that_fails_verification_is_never_stated()
    {
        var lines = TraceBytes.Lines(Trace);
        lines[1] = lines[1].Replace("\"index\":0", "\"index\":1");
        var bad = TraceBytes.Verify(TraceBytes.Join(lines));
        var e = RunStatement.For(bad, Header, Seq1(new Subject("run.jsonl", Digest)), "cm test").Match(_ => throw new Xunit.Sdk.XunitException("stated"), e => e);
        Assert.IsType<VerificationFailed>(e);
    }

    [Theory]
    [InlineData("https://in-toto.io/Statement/v1", "https://example.com/other", "predicateType")]
    [InlineData("https://in-toto.io/Statement/v0.1", RunStatement.PredicateType, "_type")]
    public void Another_statement_or_predicate_type_is_refused(string type, string predicate, string field)
    {
        var s = JsonNode.Parse(Statement())!.AsObject();
        s["_type"] = type;
        s["predicateType"] = predicate;
        var e = RunStatement.Parse(Encoding.UTF8.GetBytes(s.ToJsonString())).Match(_ => throw new Xunit.Sdk.XunitException("accepted"), e => e);
        Assert.Equal(field, Assert.IsType<AttestationFailure>(e).Field);
    }
}
