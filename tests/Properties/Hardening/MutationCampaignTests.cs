using Cm.Pure.Traces;
using LanguageExt;
using static LanguageExt.Prelude;
using Cm.Tests.Traces;
using Xunit;
using Xunit.Abstractions;

namespace Cm.Tests.Hardening;

/// <summary>
/// Issue 15's campaign, run in CI: 360 seeded mutations of a small real trace (the 4-step golden run with inline
/// tensors), each through verify, replay and diff in process. Findings would be: an exception escaping (a crash),
/// an exit code outside {0, 1, 2, 3, 130}, a mutation that verifies or replays though its bytes changed (every byte
/// is sealed: the chain seals each line by the next one's prev, the footer must be canonical, so no mutation is
/// semantically neutral except one that gives back the same bytes), or more than <see cref="MaxAllocatedBytes"/>
/// allocated for one case. tests/Cli runs a handful through <c>cm</c>, in process and as a real process.
/// </summary>
public sealed class MutationCampaignTests(ITestOutputHelper output)
{
    public const int Seed = 15;
    public const int Count = 360;

    /// <summary>The memory bound per case: bytes allocated by verify + replay + diff of one mutation (the trace is 4.6 KB).</summary>
    public const long MaxAllocatedBytes = 32L << 20;

    private static readonly int[] Documented = [0, 1, 2, 3, 130];

    [Fact]
    public void Every_mutation_is_caught_without_a_crash_within_the_memory_bound()
    {
        var valid = CampaignTrace.Valid;
        var findings = new List<string>();
        var kinds = new Dictionary<string, int>();
        var neutral = 0;
        var forgeries = new List<string>();
        long maxAllocated = 0;
        foreach (var m in MutationCampaign.Generate(valid, Seed, Count))
        {
            kinds[m.Kind] = kinds.GetValueOrDefault(m.Kind) + 1;
            var same = m.Bytes.AsSpan().SequenceEqual(valid);
            if (same) neutral++;
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var v = TraceVerifier.Verify(TraceInput.Split(m.Bytes), CampaignTrace.Seeded);
                var r = TraceReplay.Replay(TraceInput.Split(m.Bytes), CampaignTrace.Fake, CampaignTrace.Seeded);
                var ab = TraceDiff.First(TraceInput.Split(valid), TraceInput.Split(m.Bytes));
                var ba = TraceDiff.First(TraceInput.Split(m.Bytes), TraceInput.Split(valid));
                // (Exit codes are the CLI's: its part of the campaign checks them; the pure reports carry data only.)
                if (!r.Ok && v.Ok && !same) findings.Add($"{m}: replay rejected what verify accepted ({r})");
                var unkeyed = !same && v.Ok && OnlyUnkeyedHeaderText(valid, m.Bytes);
                if (unkeyed) forgeries.Add(m.ToString());
                if (!same && !unkeyed && v.Ok) findings.Add($"{m}: verified ({v})");
                if (!same && !unkeyed && r.Ok) findings.Add($"{m}: replayed");
                if (ab.IsSome != ba.IsSome) findings.Add($"{m}: diff is not symmetric ({ab} / {ba})");
            }
            catch (Exception e)
            {
                findings.Add($"{m}: crash {e.GetType().Name}: {e.Message}");
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            maxAllocated = Math.Max(maxAllocated, allocated);
            if (allocated > MaxAllocatedBytes) findings.Add($"{m}: allocated {allocated} bytes");
        }
        output.WriteLine($"{Count} mutations (seed {Seed}): {string.Join(", ", kinds.Select(k => $"{k.Value} {k.Key}"))}; " +
                         $"{neutral} gave back the same bytes; {forgeries.Count} re-chained edits of the header's free text " +
                         $"(library, model, device), which no unkeyed check can see; most allocated by one case {maxAllocated} bytes; {findings.Count} findings");
        foreach (var f in forgeries) output.WriteLine("  unkeyed: " + f);
        Assert.True(Count >= 300);
        Assert.True(kinds.Count >= 12, "every kind of mutation ran");
        Assert.True(findings.Count == 0, string.Join("\n", findings.Take(20)));
        Assert.True(neutral < Count / 20, $"{neutral} mutations did nothing: the generator is too weak");
    }

    /// <summary>
    /// The one class of mutation that verifies: a re-chained edit that changes only the header's free-text fields
    /// (library, model, device). Nothing in the trace derives from them and the chain has no key, so only a
    /// signature (the "signed" level of issue 15) or, for the model, a replay with the model can catch it.
    /// </summary>
    private static bool OnlyUnkeyedHeaderText(byte[] valid, byte[] mutated)
    {
        var a = Cm.Tests.Traces.TraceBytes.Lines(valid);
        var b = Cm.Tests.Traces.TraceBytes.Lines(mutated);
        if (a.Count != b.Count || Enumerable.Range(1, a.Count - 1).Any(k => NoPrev(a[k]) != NoPrev(b[k]))) return false;
        static Option<RunHeader> Run(string line) =>
            TraceParser.Parse(1, System.Text.Encoding.UTF8.GetBytes(line)).ToOption().Bind(l => l is HeaderLine h ? Some(h.Run) : None);
        return (from x in Run(a[0]) from y in Run(b[0]) select y with { LibraryVersion = x.LibraryVersion, Model = x.Model, Device = x.Device } == x).IfNone(false);
    }

    private static string NoPrev(string line)
    {
        var i = line.IndexOf("\"prev\":\"", StringComparison.Ordinal);
        return i < 0 || i + 8 + 64 > line.Length ? line : line[..i] + line[(i + 8 + 64)..];
    }
}
