using Xunit;

namespace Cm.Tests.Cli;

/// <summary>
/// Reading a trace needs memory for a constant plus a few of its lines, whatever its length: <c>cm verify</c>
/// and <c>cm diff</c> of a 10-step trace with inline tensors (lines of about 8.4 MB, 84 MB in all) succeed
/// under a managed-heap cap of 112 MiB, less than the lines and their decoded tensors would take if kept
/// (about 150 MB). A cap of 16 MiB, less than two lines, makes the same verify fail: the cap is real.
/// </summary>
[Collection(nameof(TraceMemoryTests))]
public sealed class TraceMemoryTests
{
    private static Dictionary<string, string> Cap(int mib) => new() { ["DOTNET_GCHeapHardLimit"] = "0x" + ((long)mib << 20).ToString("X"), ["OMP_NUM_THREADS"] = "1" };

    [Fact]
    public void Verify_and_diff_read_a_long_trace_under_a_heap_cap_of_a_few_lines()
    {
        using var dir = new TempDir();
        var made = CmProcess.Run(dir.Path, "sample", "--model", "analytic:gaussian", "--shape", "3,64,64", "--batch", "32", "--steps", "10",
            "--noise", "philox", "--trace", "t.jsonl", "--trace-tensors", "--format", "npy", "--out", "o.npy");
        Assert.True(made.Code == 0, made.ToString());
        var size = new FileInfo(dir.File("t.jsonl")).Length;
        Assert.InRange(size, 80_000_000, 90_000_000);

        var verified = CmProcess.RunWith(dir.Path, Cap(112), "verify", "t.jsonl");
        Assert.True(verified.Code == 0, verified.ToString());
        Assert.Contains("verified at levels chain, recomputed", verified.Out);
        var diffed = CmProcess.RunWith(dir.Path, Cap(112), "diff", "t.jsonl", "t.jsonl");
        Assert.True(diffed.Code == 0, diffed.ToString());

        var starved = CmProcess.RunWith(dir.Path, Cap(16), "verify", "t.jsonl");
        Assert.True(starved.Code != 0, "verify succeeded under a 16 MiB heap cap, so the cap does not bound anything: " + starved);
    }
}

/// <summary>The heap-cap test writes and reads an 84 MB trace in three processes: it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(TraceMemoryTests), DisableParallelization = true)]
public sealed class TraceMemoryCollection;
