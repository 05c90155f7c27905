using BenchmarkDotNet.Attributes;

namespace Cm.Benchmarks;

/// <summary>
/// What a fresh large array costs on first write, apart from any arithmetic: writing three new
/// uninitialised arrays of N float32 (as the immutable step did before the step pool) against writing
/// three arrays that are reused (as after it). The difference per element, over 12 bytes, is the
/// first-touch cost (page fault + kernel zeroing per 4 KiB page, plus the GC's large-object work).
/// </summary>
[MemoryDiagnoser]
public class FirstTouch
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>Elements per array.</summary>
    [ParamsSource(typeof(Sizes), nameof(Sizes.Elements))]
    public int N { get; set; }

    /// <summary>The reused arrays.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _a = new float[N];
        _b = new float[N];
        _c = new float[N];
    }

    /// <summary>Three reused arrays written (12 B per element): the floor.</summary>
    [Benchmark(Baseline = true)]
    public float WarmArrays() => Write(_a, _b, _c);

    /// <summary>Three new arrays (<see cref="GC.AllocateUninitializedArray{T}(int, bool)"/>) written: the floor plus first touch.</summary>
    [Benchmark]
    public float FreshArrays() => Write(GC.AllocateUninitializedArray<float>(N), GC.AllocateUninitializedArray<float>(N), GC.AllocateUninitializedArray<float>(N));

    private static float Write(float[] a, float[] b, float[] c)
    {
        a.AsSpan().Fill(1f);
        b.AsSpan().Fill(2f);
        c.AsSpan().Fill(3f);
        return a[^1] + b[^1] + c[^1];
    }
}
