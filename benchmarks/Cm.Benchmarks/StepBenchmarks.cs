using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Cm.Pure.Config;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;

namespace Cm.Benchmarks;

/// <summary>
/// The pure step given its noise (no draw) against a memory reference that moves the same bytes.
/// "The same bytes": the step without the denoised output reads model output, sample and noise and
/// writes the next sample, 3 float32 reads + 1 float32 write = 16 bytes per element; the reference
/// <see cref="MemoryReference3R1W"/> is the SIMD loop d = a + b + c over four arrays of the same size.
/// With the denoised output the step writes a second array (20 bytes per element), against
/// <see cref="MemoryReference3R2W"/> (d = a + b + c, e = a).
/// </summary>
[MemoryDiagnoser]
public class StepGivenNoise
{
    private float[] _f = [], _x = [], _noise = [], _dst = [], _den = [];
    private StepScalars _sc;

    /// <summary>Elements.</summary>
    [ParamsSource(typeof(Sizes), nameof(Sizes.Elements))]
    public int N { get; set; }

    /// <summary>Data and the scalars of step 0 of a 4-step default schedule.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _f = Data.Uniform(N, 1, -2, 2);
        _x = Data.Uniform(N, 2, -80, 80);
        _noise = Data.Uniform(N, 3, -3, 3);
        _dst = new float[N];
        _den = new float[N];
        var schedule = Schedule.Create(ValidConfig.Default, TimestepSpec.OfSteps(4)).Match(s => s, e => throw new InvalidOperationException(e.Message));
        _sc = StepScalars.At(ValidConfig.Default, schedule, 1);
    }

    /// <summary>3 reads + 1 write per element (16 B), SIMD.</summary>
    [Benchmark(Baseline = true)]
    public void MemoryReference3R1W() => Triad(_f, _x, _noise, _dst);

    /// <summary>The step kernel (SIMD dispatch), clip on, no denoised output: 16 B per element.</summary>
    [Benchmark]
    public void PureStep() => StepKernel.Apply(_sc, true, _f, _x, _noise, [], _dst);

    /// <summary>The scalar definition of the same step.</summary>
    [Benchmark]
    public void PureStepScalar() => StepKernel.ApplyScalar(_sc, true, _f, _x, _noise, [], _dst);

    /// <summary>3 reads + 2 writes per element (20 B), SIMD.</summary>
    [Benchmark]
    public void MemoryReference3R2W() => Triad(_f, _x, _noise, _dst, _den);

    /// <summary>The step kernel with the denoised output kept: 20 B per element.</summary>
    [Benchmark]
    public void PureStepWithDenoised() => StepKernel.Apply(_sc, true, _f, _x, _noise, _den, _dst);

    /// <summary>d = a + b + c and e = a, eight lanes at a time, in one pass.</summary>
    private static void Triad(float[] a, float[] b, float[] c, float[] d, float[] e)
    {
        ref var ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref var rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref var rc = ref MemoryMarshal.GetArrayDataReference(c);
        ref var rd = ref MemoryMarshal.GetArrayDataReference(d);
        ref var re = ref MemoryMarshal.GetArrayDataReference(e);
        int k = 0;
        for (; k <= d.Length - 8; k += 8)
        {
            var va = Vector256.LoadUnsafe(ref ra, (nuint)k);
            (va + Vector256.LoadUnsafe(ref rb, (nuint)k) + Vector256.LoadUnsafe(ref rc, (nuint)k)).StoreUnsafe(ref rd, (nuint)k);
            va.StoreUnsafe(ref re, (nuint)k);
        }
        for (; k < d.Length; k++) { d[k] = a[k] + b[k] + c[k]; e[k] = a[k]; }
    }

    /// <summary>d = a + b + c, eight lanes at a time.</summary>
    private static void Triad(float[] a, float[] b, float[] c, float[] d)
    {
        ref var ra = ref MemoryMarshal.GetArrayDataReference(a);
        ref var rb = ref MemoryMarshal.GetArrayDataReference(b);
        ref var rc = ref MemoryMarshal.GetArrayDataReference(c);
        ref var rd = ref MemoryMarshal.GetArrayDataReference(d);
        int k = 0;
        for (; k <= d.Length - 8; k += 8)
            (Vector256.LoadUnsafe(ref ra, (nuint)k) + Vector256.LoadUnsafe(ref rb, (nuint)k) + Vector256.LoadUnsafe(ref rc, (nuint)k))
                .StoreUnsafe(ref rd, (nuint)k);
        for (; k < d.Length; k++) d[k] = a[k] + b[k] + c[k];
    }
}
