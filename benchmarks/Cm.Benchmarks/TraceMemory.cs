using System.Globalization;
using System.Text;

namespace Cm.Benchmarks;

/// <summary>
/// Peak memory of <c>cm verify</c> and <c>cm diff</c> against trace size and line length (issue 14: "a
/// constant plus a small multiple of the longest line, for traces of 10 MB to 2 GB"). Each trace is written
/// by the built tool, then each command runs under <c>/usr/bin/time</c> (GNU time: maximum resident set
/// size, elapsed, user and system seconds). Not a BenchmarkDotNet class: one run per case is the
/// measurement (peak RSS does not average), and the cases take minutes. Run with <c>-- --trace-memory</c>.
/// </summary>
public static class TraceMemory
{
    /// <summary>(batch, steps): line length grows with the batch (262 KB per sample inline), trace length with both.</summary>
    private static readonly (int Batch, int Steps)[] Cases = [(1, 2), (8, 5), (64, 10), (64, 40), (96, 40), (192, 40)];

    /// <summary>Writes each trace, measures both commands, prints and returns the Markdown table.</summary>
    public static string Run()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"## cm verify / cm diff peak memory ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the start)");
        sb.AppendLine();
        sb.AppendLine("| trace | bytes | longest line | verify: peak RSS | verify: (peak − start-up) / line | verify: s (user+sys) | verify MB/s after start-up | diff a a: peak RSS | diff: (peak − start-up) / line | diff: s |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        CmTool.Measure? startVerify = null, startDiff = null;
        foreach (var (batch, steps) in Cases)
        {
            var trace = Path.Combine(CmTool.Scratch, $"mem-{batch}x{steps}.jsonl");
            File.Delete(trace);
            CmTool.Run(0, ["sample", "--model", "analytic:gaussian", "--shape", "3,64,64", "--batch", batch.ToString(inv), "--steps", steps.ToString(inv),
                "--noise", "philox", "--out", Path.Combine(CmTool.Scratch, "mem.png"), "--force", "--progress", "plain", "--trace", trace, "--trace-tensors"]);
            var bytes = new FileInfo(trace).Length;
            var longest = Longest(trace);
            var verify = CmTool.Timed("verify", trace);
            var diff = CmTool.Timed("diff", trace, trace);
            File.Delete(trace);
            startVerify ??= verify;
            startDiff ??= diff;
            double PerLine(CmTool.Measure m, CmTool.Measure start) => (m.PeakKb - start.PeakKb) * 1024.0 / longest;
            var rate = bytes / 1e6 / Math.Max(1e-3, verify.CpuSeconds - startVerify.CpuSeconds);
            sb.AppendLine($"| batch {batch}, {steps} steps | {bytes / 1e6:0.0} MB | {longest / 1e6:0.00} MB | {verify.PeakKb / 1024.0:0} MiB | {PerLine(verify, startVerify):0.0} | {verify.CpuSeconds:0.00} | {(ReferenceEquals(verify, startVerify) ? "start-up" : rate.ToString("0", inv))} | {diff.PeakKb / 1024.0:0} MiB | {PerLine(diff, startDiff):0.0} | {diff.CpuSeconds:0.00} |");
            Console.WriteLine(sb.ToString().Split('\n')[^2]);
        }
        sb.AppendLine();
        sb.AppendLine($"The first row is the start-up (a 2-step 3×64×64 trace of one sample): verify {startVerify!.PeakKb / 1024.0:0} MiB, diff {startDiff!.PeakKb / 1024.0:0} MiB.");
        return sb.ToString();
    }

    private static long Longest(string path)
    {
        long longest = 0, current = 0;
        using var f = File.OpenRead(path);
        var buffer = new byte[1 << 20];
        int n;
        while ((n = f.Read(buffer)) > 0)
        {
            var rest = buffer.AsSpan(0, n);
            for (var nl = rest.IndexOf((byte)'\n'); nl >= 0; nl = rest.IndexOf((byte)'\n'))
            {
                longest = Math.Max(longest, current + nl);
                current = 0;
                rest = rest[(nl + 1)..];
            }
            current += rest.Length;
        }
        return Math.Max(longest, current);
    }
}
