using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Cm.Runtime.Native;
using TorchSharp;

namespace Cm.Benchmarks;

/// <summary>The sizes and thread counts of the suite; <c>--quick</c> (environment CM_BENCH_QUICK=1) takes a subset.</summary>
public static class Sizes
{
    /// <summary>Set by Program for <c>--quick</c>; an environment variable so that out-of-process runs see it too.</summary>
    public const string QuickVariable = "CM_BENCH_QUICK";

    /// <summary>Whether this is a quick run.</summary>
    public static bool Quick => Environment.GetEnvironmentVariable(QuickVariable) == "1";

    /// <summary>
    /// Elements: 3·64·64 (L1/L2), 3·256·256 (just past L2 with 4 arrays), 3·512·512 (L3), 4·3·512·512 (past L3).
    /// </summary>
    public static IEnumerable<int> Elements => Quick ? [196_608, 786_432] : [12_288, 196_608, 786_432, 3_145_728];

    /// <summary>Threads for the libtorch references and the parallel Philox fill.</summary>
    public static IEnumerable<int> Threads => [1, 2];
}

/// <summary>The repository the benchmarks run from.</summary>
public static class Repository
{
    /// <summary>The repository root (the folder with Cm.sln) above the running binaries.</summary>
    public static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Cm.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Cm.sln not found above the benchmark binaries.");
    }
}

/// <summary>libtorch set-up shared by the reference benchmarks.</summary>
public static class Torch
{
    /// <summary>Loads libtorch (a clear error if the native fix is missing) and sets its intra-op threads.</summary>
    public static void Init(int threads)
    {
        TorchNative.EnsureLoaded().IfFail(e => throw new InvalidOperationException($"libtorch did not load: {e.Message}"));
        torch.set_num_threads(threads);
    }

    /// <summary>A float32 CPU tensor holding <paramref name="data"/>.</summary>
    public static torch.Tensor Of(float[] data) => torch.tensor(data, dtype: torch.float32);
}

/// <summary>Deterministic test data.</summary>
public static class Data
{
    /// <summary>n values uniform in [lo, hi).</summary>
    public static float[] Uniform(int n, int seed, float lo, float hi)
    {
        var r = new Random(seed);
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.NextSingle();
        return a;
    }
}

/// <summary>Mean time divided by the benchmark's N: the cost per element, for the scaling table.</summary>
public sealed class NsPerElementColumn : IColumn
{
    /// <inheritdoc/>
    public string Id => nameof(NsPerElementColumn);
    /// <inheritdoc/>
    public string ColumnName => "ns/elem";
    /// <inheritdoc/>
    public bool AlwaysShow => true;
    /// <inheritdoc/>
    public ColumnCategory Category => ColumnCategory.Custom;
    /// <inheritdoc/>
    public int PriorityInCategory => 0;
    /// <inheritdoc/>
    public bool IsNumeric => true;
    /// <inheritdoc/>
    public UnitType UnitType => UnitType.Dimensionless;
    /// <inheritdoc/>
    public string Legend => "Mean time per element (Mean / N), in nanoseconds";
    /// <inheritdoc/>
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    /// <inheritdoc/>
    public bool IsAvailable(Summary summary) => true;
    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);
    /// <inheritdoc/>
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var n = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value;
        return mean is { } m && n is int count ? (m / count).ToString("0.000") : "-";
    }
}
