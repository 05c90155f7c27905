using System.Text;
using Cm.Pure.Traces;

namespace Cm.Tests.Traces;

/// <summary>Small helpers for editing traces in tests: split into lines, join, re-chain after an edit.</summary>
public static class TraceBytes
{
    public static List<string> Lines(byte[] trace) =>
        Encoding.UTF8.GetString(trace).Split('\n').SkipLast(1).ToList();

    public static byte[] Join(IEnumerable<string> lines) =>
        Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));

    /// <summary>Rewrites every "prev" so the chain is intact again: an edit only the recomputation can catch.</summary>
    public static byte[] Rechain(IEnumerable<string> lines)
    {
        var prev = TraceFormat.GenesisPrev;
        var output = new List<string>();
        foreach (var line in lines)
        {
            var i = line.IndexOf("\"prev\":\"", StringComparison.Ordinal) + 8;
            var fixedLine = line[..i] + prev + line[(i + 64)..];
            output.Add(fixedLine);
            prev = TensorHash.OfBytes(Encoding.UTF8.GetBytes(fixedLine));
        }
        return Join(output);
    }

    public static VerifyReport Verify(byte[] trace, VerifyOptions? options = null, int maxLineBytes = TraceFormat.DefaultMaxLineBytes) =>
        TraceVerifier.Verify(TraceInput.Split(trace, maxLineBytes), options);

    /// <summary>The failure of a report that must have failed.</summary>
    public static TraceFailure Failure(VerifyReport r) =>
        r.Failure.Match(f => f, () => throw new Xunit.Sdk.XunitException("verification passed, but it should have failed"));
}
