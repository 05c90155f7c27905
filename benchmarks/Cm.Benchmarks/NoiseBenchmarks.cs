using BenchmarkDotNet.Attributes;
using Cm.Pure.Noise.Philox;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Tensors;
using LanguageExt;
using TorchSharp;

namespace Cm.Benchmarks;

/// <summary>
/// Standard normals: libtorch's <c>torch.randn</c> with a CPU generator (the reference; it runs on one
/// thread whatever <c>set_num_threads</c> says, as torch-cpu-randn.md §4 notes, but is measured at both
/// settings), the torch-compatible pure fill (same bits as that call), and Philox on 1 and 2 threads.
/// </summary>
[MemoryDiagnoser]
public class Normals
{
    private float[] _dst = [];
    private TorchGenerator _gen = TorchGenerator.Default;
    private torch.Generator? _torchGen;
    private PhiloxNoise _philox = new(0);
    private Memory<float> _mem;
    private Shape _shape = Shape.Scalar;

    /// <summary>Elements.</summary>
    [ParamsSource(typeof(Sizes), nameof(Sizes.Elements))]
    public int N { get; set; }

    /// <summary>torch.set_num_threads and the Philox degree of parallelism.</summary>
    [ParamsSource(typeof(Sizes), nameof(Sizes.Threads))]
    public int Threads { get; set; }

    /// <summary>Buffers, generators, libtorch threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Torch.Init(Threads);
        _dst = new float[N];
        _mem = _dst;
        _shape = Shape.Of(1, N);
        _gen = TorchGenerator.ManualSeed(1234);
        _torchGen = new torch.Generator(1234);
        _philox = new PhiloxNoise(1234);
    }

    /// <summary>Releases the libtorch generator.</summary>
    [GlobalCleanup]
    public void Cleanup() => _torchGen?.Dispose();

    /// <summary>libtorch: <c>torch.randn(N, generator=g)</c> (a fresh tensor each call, as diffusers does).</summary>
    [Benchmark(Baseline = true)]
    public void LibtorchRandn()
    {
        using var t = torch.randn([N], dtype: torch.float32, generator: _torchGen);
    }

    /// <summary>Pure torch-compatible randn (SIMD), into a buffer; same bits as libtorch's.</summary>
    [Benchmark]
    public TorchGenerator PureTorchRandn() => _gen.FillRandn(_dst);

    /// <summary>Philox normals, parallel fill with at most <see cref="Threads"/> threads (bits independent of it).</summary>
    [Benchmark]
    public Fin<PhiloxNoise> Philox() => _philox.FillParallel(_shape, _mem, Threads);

}

/// <summary>The scalar definitions of both normal fills (one thread): what the SIMD kernels gain; and the Box–Muller floor.</summary>
[MemoryDiagnoser]
public class NormalsScalar
{
    private float[] _dst = [], _uniforms = [];
    private uint[] _words = [];
    private TorchGenerator _gen = TorchGenerator.Default;

    /// <summary>Elements.</summary>
    [ParamsSource(typeof(Sizes), nameof(Sizes.Elements))]
    public int N { get; set; }

    /// <summary>Buffer and generator.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _dst = new float[N];
        _gen = TorchGenerator.ManualSeed(1234);
        _uniforms = new float[N];
        var r = new Random(5);
        for (int i = 0; i < N; i++) _uniforms[i] = r.Next(1 << 24) * (1.0f / 16777216.0f);
        _words = new uint[N];
        for (int i = 0; i < N; i++) _words[i] = (uint)r.NextInt64(0, 1L << 32);
    }

    /// <summary>Torch-compatible randn, scalar definition.</summary>
    [Benchmark]
    public TorchGenerator PureTorchRandnScalar() => _gen.FillRandn(_dst, default, vectorised: false);

    /// <summary>
    /// The floor of any Philox fill that follows philox.md §4: the unfused Cephes Box–Muller alone (the
    /// same float32 operations as Philox's, on 8 lanes = 16 normals per step, plus one add per output),
    /// applied to uniforms copied in first (the copy moves 8 bytes per element).
    /// </summary>
    [Benchmark]
    public void UnfusedBoxMullerOnly()
    {
        _uniforms.CopyTo(_dst, 0);
        TorchBoxMuller.Avx2Blocks(_dst, fused: false);
    }

    /// <summary>
    /// The same floor with 512-bit vectors (AVX-512, 16 lanes): the unfused Box–Muller of Philox's AVX-512
    /// kernel alone, on random words already in memory (no copy, no transpose; 4 B read + 4 B written per normal).
    /// </summary>
    [Benchmark]
    public void UnfusedBoxMullerOnly512()
    {
        if (PhiloxNormal.Vector512Accelerated) PhiloxFloors.BoxMullerOnly512(_words.AsSpan(0, N / 32 * 32), _dst.AsSpan(0, N / 32 * 32));
    }

    /// <summary>The Philox rounds of the AVX-512 kernel alone (16 blocks per step, words stored, no Box–Muller).</summary>
    [Benchmark]
    public void PhiloxRoundsOnly512()
    {
        if (PhiloxNormal.Vector512Accelerated) PhiloxFloors.WordsOnly512(1234, 0, 0, N / 64, _words.AsSpan(0, N / 64 * 64));
    }

    /// <summary>Philox normals, the AVX2 kernel (8 blocks per step), one thread.</summary>
    [Benchmark]
    public void PhiloxVector256() => PhiloxNormal.Fill(1234, 0, 0, _dst, PhiloxKernel.Vector256);

    /// <summary>Philox normals, the AVX-512 kernel (16 blocks per step, where the CPU has it), one thread.</summary>
    [Benchmark]
    public void PhiloxVector512() => PhiloxNormal.Fill(1234, 0, 0, _dst, PhiloxKernel.Vector512);

    /// <summary>Philox normals, scalar definition.</summary>
    [Benchmark]
    public void PhiloxScalar() => PhiloxNormal.Fill(1234, 0, 0, _dst, vectorised: false);
}
