using Cm.Pure.Traces;
using Cm.Pure.Verification;
using Cm.Runtime.Traces;
using Cm.Tests.Traces;
using LanguageExt;
using Xunit;

namespace Cm.Tests.Traces;

/// <summary>
/// Replay is the verifier's fold plus the model: every trace the verifier rejects, replay rejects with the
/// same failure at the same level (issue 15's "replay exits 0 on mutations verify rejects").
/// </summary>
public sealed class ReplayChecksTests
{
    private static readonly byte[] Trace = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Traces", "python_example.jsonl"));

    private static Fin<float[]> FakeTanh(ModelCall c) =>
        c.ScaledSample.Select(x => (float)Math.Tanh(x) * 0.9f + (float)(0.01 * c.Timestep)).ToArray();

    public static TheoryData<string> Mutations => new()
    {
        "footer complete false", "footer steps", "garbage after the footer", "broken chain", "c_skip off by an ulp",
        "corrupt inline tensor", "no footer",
    };

    private static byte[] Mutate(string name)
    {
        var lines = TraceBytes.Lines(Trace);
        switch (name)
        {
            case "footer complete false": lines[^1] = lines[^1].Replace("\"complete\":true", "\"complete\":false"); return TraceBytes.Rechain(lines);
            case "footer steps": lines[^1] = lines[^1].Replace("\"steps\":2", "\"steps\":1"); return TraceBytes.Rechain(lines);
            case "garbage after the footer": return [.. Trace, .. "{}\n"u8.ToArray()];
            case "broken chain": lines[1] = lines[1].Replace("\"index\":0", "\"index\": 0"); return TraceBytes.Join(lines);
            case "c_skip off by an ulp":
                lines[2] = lines[2].Replace("\"c_skip\":{\"value\":0.04752299189567566,\"bits\":\"0x3d42a778\"}", "\"c_skip\":{\"value\":0.04752299562096596,\"bits\":\"0x3d42a779\"}");
                return TraceBytes.Rechain(lines);
            case "corrupt inline tensor": lines[1] = lines[1].Replace("\"model_output\":\"PvQz", "\"model_output\":\"PvQy"); return TraceBytes.Rechain(lines);
            default: return TraceBytes.Join(lines.Take(lines.Count - 1));
        }
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Replay_rejects_what_verify_rejects_with_the_same_failure(string mutation)
    {
        var bytes = Mutate(mutation);
        Assert.NotEqual(Trace, bytes);
        var verified = TraceVerifier.Verify(TraceInput.Split(bytes));
        var replayed = TraceFile.Replay(TraceInput.Split(bytes), FakeTanh, VerifyOptions.Default);
        Assert.False(verified.Ok, mutation);
        Assert.False(replayed.Ok, mutation);
        Assert.Equal(verified.Levels.Failure.Map(f => f.Message), replayed.Verification.Levels.Failure.Map(f => f.Message));
        Assert.DoesNotContain(VerificationLevel.Replayed, replayed.Verification.Levels.Reached);
    }

    [Fact]
    public void The_untouched_trace_replays()
    {
        var r = TraceFile.Replay(TraceInput.Split(Trace), FakeTanh, VerifyOptions.Default);
        Assert.True(r.Ok, r.ToString());
        Assert.Contains(VerificationLevel.Replayed, r.Verification.Levels.Reached);
    }
}
