using System.Diagnostics.Contracts;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Noise.Torch;

/// <summary>
/// PyTorch's CPU generator (<c>torch.Generator('cpu')</c>) as an immutable value, and its
/// <c>torch.randn</c>, bit for bit (torch-cpu-randn.md). A draw returns the values and the generator
/// after the draw; this instance never changes, so drawing twice from it gives the same values.
/// </summary>
/// <remarks>
/// <para>State (§1): the MT19937 words with PyTorch's <c>left</c>/<c>next</c> counters, the seed it was
/// seeded with (reported only), and the optional cached double normal of the scalar path (§5). The
/// cached float normal of torch is never used by <c>randn</c> and is always empty here.</para>
/// <para>Dispatch (§4): n = 0 draws nothing; 1 ≤ n &lt; 16 takes the scalar path (double Box–Muller
/// pairs served cache-first; the cache persists across calls and is shared by float32 and float64);
/// n ≥ 16 takes the vectorised fill (blocks of 16, and for n mod 16 ≠ 0 a re-drawn tail block of 16
/// fresh uniforms over the last 16 positions), which neither reads nor clears the cache.</para>
/// </remarks>
public sealed class TorchGenerator : IEquatable<TorchGenerator>
{
    /// <summary>The seed of a <c>torch.Generator()</c> created without one (§1).</summary>
    public const ulong DefaultSeed = 67280421310721UL;

    /// <summary>Elements from which <c>randn</c> switches to the vectorised fill (§4).</summary>
    public const int VectorisedThreshold = 16;

    private const double TwoPi = 6.283185307179586; // bits 0x401921FB54442D18

    private readonly uint[] _mt; // owned; never written after construction
    private readonly bool _hasCache;
    private readonly double _cache;

    internal TorchGenerator(ulong initialSeed, uint[] mt, int left, int next, bool hasCache, double cache)
    {
        InitialSeed = initialSeed;
        _mt = mt;
        Left = left;
        Next = next;
        _hasCache = hasCache;
        _cache = hasCache ? cache : 0.0;
    }

    /// <summary>
    /// <c>g.manual_seed(seed)</c> (§1, §2): <c>init_genrand</c> of the low 32 bits, <c>left = 1</c>,
    /// <c>next = 0</c>, caches cleared. Seeds that differ only above bit 31 give the same stream.
    /// A negative Python seed is its two's complement: pass <c>unchecked((ulong)seed)</c>.
    /// </summary>
    [Pure]
    public static TorchGenerator ManualSeed(ulong seed)
    {
        var mt = new uint[Mt19937.N];
        Mt19937.Seed((uint)seed, mt);
        return new TorchGenerator(seed, mt, 1, 0, false, 0.0);
    }

    /// <summary>A generator as <c>torch.Generator()</c> creates it (seed 67280421310721).</summary>
    public static TorchGenerator Default { get; } = ManualSeed(DefaultSeed);

    /// <summary>The seed given to <see cref="ManualSeed"/> (torch's <c>initial_seed()</c>); not used by draws.</summary>
    public ulong InitialSeed { get; }

    /// <summary>MT19937 <c>left</c> counter (§2), as <c>get_state()</c> stores it.</summary>
    public int Left { get; }

    /// <summary>MT19937 <c>next</c> counter (§2), as <c>get_state()</c> stores it.</summary>
    public int Next { get; }

    /// <summary>The 624 MT19937 state words.</summary>
    public ReadOnlySpan<uint> State => _mt;

    /// <summary>The cached double normal of the scalar path (§5), if any. It may be −0.</summary>
    public Option<double> CachedNormal => _hasCache ? Option<double>.Some(_cache) : Option<double>.None;

    /// <summary>
    /// One <c>torch.randn</c> of <c>destination.Length</c> float32 elements written into
    /// <paramref name="destination"/>; returns the generator after the call. Only the element count
    /// matters, as in torch (the output is always contiguous).
    /// </summary>
    public TorchGenerator FillRandn(Span<float> destination, TorchRandnVariant variant = default) =>
        FillRandn(destination, variant, vectorised: true);

    /// <summary>
    /// Elements per pass of the vectorised fill: uniforms are drawn and transformed one L1-sized chunk at
    /// a time (a multiple of 16, so chunks hold whole blocks and the word order is unchanged).
    /// </summary>
    private const int FillChunk = 2048;

    /// <summary>
    /// The float32 <c>randn</c> with the SIMD kernels (<paramref name="vectorised"/>, where the hardware
    /// has them) or the scalar definition: the same bits and the same generator after the call.
    /// </summary>
    internal TorchGenerator FillRandn(Span<float> destination, TorchRandnVariant variant, bool vectorised)
    {
        int n = destination.Length;
        if (vectorised && n >= VectorisedThreshold && variant.Kernel != TorchKernel.Default
            && TorchBoxMuller.VectorAccelerated(variant.Kernel == TorchKernel.Avx2Fused))
            return FillRandnVector(destination, variant.Kernel == TorchKernel.Avx2Fused);
        if (n == 0) return this;
        var mt = (uint[])_mt.Clone();
        var engine = new Mt19937(mt, Left, Next);
        bool has = _hasCache;
        double cache = _cache;
        if (n < VectorisedThreshold)
        {
            for (int i = 0; i < n; i++)
                destination[i] = (float)NextScalar(ref engine, ref has, ref cache, variant.ScalarLog);
        }
        else
        {
            for (int i = 0; i < n; i++) destination[i] = engine.NextFloat();
            for (int b = 0; b + VectorisedThreshold <= n; b += VectorisedThreshold)
                Transform32(destination.Slice(b, VectorisedThreshold), variant.Kernel);
            if (n % VectorisedThreshold != 0)
            {
                // §6.1 step 3: 16 fresh uniforms over the last 16 positions, overwriting outputs.
                var tail = destination[(n - VectorisedThreshold)..];
                for (int i = 0; i < VectorisedThreshold; i++) tail[i] = engine.NextFloat();
                Transform32(tail, variant.Kernel);
            }
        }
        return new TorchGenerator(InitialSeed, mt, engine.Left, engine.Next, has, cache);
    }

    /// <summary>
    /// §6.1 for n ≥ 16 with the AVX2 transform, vectorised: the uniforms of a chunk are drawn 8 words at a
    /// time (<see cref="Mt19937.FillFloats"/>), then its whole blocks are transformed 8 lanes at a time
    /// (a block never straddles chunks, and words are drawn in the same order as the scalar form);
    /// the tail block is re-drawn and transformed last, as in the scalar form.
    /// </summary>
    private TorchGenerator FillRandnVector(Span<float> destination, bool fused)
    {
        int n = destination.Length;
        var mt = (uint[])_mt.Clone();
        var engine = new Mt19937(mt, Left, Next);
        for (int b = 0; b < n; b += FillChunk)
        {
            // All n uniforms are drawn (§6.1 step 1), even the n mod 16 that the tail block overwrites.
            var chunk = destination.Slice(b, Math.Min(FillChunk, n - b));
            engine.FillFloats(chunk);
            TorchBoxMuller.Avx2Blocks(chunk[..(chunk.Length - chunk.Length % VectorisedThreshold)], fused);
        }
        if (n % VectorisedThreshold != 0)
        {
            var tail = destination[(n - VectorisedThreshold)..];
            engine.FillFloats(tail);
            TorchBoxMuller.Avx2Blocks(tail, fused);
        }
        return new TorchGenerator(InitialSeed, mt, engine.Left, engine.Next, _hasCache, _cache);
    }

    /// <summary>
    /// One float64 <c>torch.randn</c> of <c>destination.Length</c> elements; returns the generator
    /// after the call. Uses the platform's <see cref="Math.Log(double)"/>, <see cref="Math.Sin"/> and
    /// <see cref="Math.Cos"/> (glibc on Linux, as torch), and <see cref="GlibcLog1p"/> on the scalar path.
    /// </summary>
    public TorchGenerator FillRandn(Span<double> destination, TorchRandnVariant variant = default)
    {
        int n = destination.Length;
        if (n == 0) return this;
        var mt = (uint[])_mt.Clone();
        var engine = new Mt19937(mt, Left, Next);
        bool has = _hasCache;
        double cache = _cache;
        if (n < VectorisedThreshold)
        {
            for (int i = 0; i < n; i++)
                destination[i] = NextScalar(ref engine, ref has, ref cache, variant.ScalarLog);
        }
        else
        {
            for (int i = 0; i < n; i++) destination[i] = engine.NextDouble();
            for (int b = 0; b + VectorisedThreshold <= n; b += VectorisedThreshold)
                TorchBoxMuller.Block16(destination.Slice(b, VectorisedThreshold));
            if (n % VectorisedThreshold != 0)
            {
                var tail = destination[(n - VectorisedThreshold)..];
                for (int i = 0; i < VectorisedThreshold; i++) tail[i] = engine.NextDouble();
                TorchBoxMuller.Block16(tail);
            }
        }
        return new TorchGenerator(InitialSeed, mt, engine.Left, engine.Next, has, cache);
    }

    /// <summary><c>torch.randn(shape, dtype=float32, generator=g)</c> and the generator after it.</summary>
    [Pure]
    public (Tensor<float> Values, TorchGenerator Next) Randn32(Shape shape, TorchRandnVariant variant = default)
    {
        TorchGenerator next = this;
        var t = Tensor<float>.Create(shape, variant, (dst, v) => next = FillRandn(dst, v));
        return (t, next);
    }

    /// <summary><c>torch.randn(shape, dtype=float64, generator=g)</c> and the generator after it.</summary>
    [Pure]
    public (Tensor<double> Values, TorchGenerator Next) Randn64(Shape shape, TorchRandnVariant variant = default)
    {
        TorchGenerator next = this;
        var t = Tensor<double>.Create(shape, variant, (dst, v) => next = FillRandn(dst, v));
        return (t, next);
    }

    private static void Transform32(Span<float> block, TorchKernel kernel)
    {
        switch (kernel)
        {
            case TorchKernel.Avx2Fused: TorchBoxMuller.Avx2Block16(block, fused: true); break;
            case TorchKernel.Avx2Unfused: TorchBoxMuller.Avx2Block16(block, fused: false); break;
            case TorchKernel.Default: TorchBoxMuller.DefaultBlock16(block); break;
            default: throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "unknown torch kernel");
        }
    }

    /// <summary>
    /// One element of the scalar path (§5): the cached double if any (·1 + 0, so −0 becomes +0), else a
    /// fresh pair from u1 (angle) then u2 (radius), caching <c>r·sin θ</c> and returning <c>r·cos θ·1 + 0</c>.
    /// </summary>
    private static double NextScalar(ref Mt19937 engine, ref bool has, ref double cache, TorchScalarLog log)
    {
        if (has)
        {
            has = false;
            return cache * 1.0 + 0.0;
        }
        double u1 = engine.NextDouble();
        double u2 = engine.NextDouble();
        double l = log switch
        {
            TorchScalarLog.Torch2Log1p => GlibcLog1p.OfNegated(u2),
            TorchScalarLog.Torch1Log => Math.Log(1.0 - u2),
            _ => throw new ArgumentOutOfRangeException(nameof(log), log, "unknown scalar log"),
        };
        double r = Math.Sqrt(-2.0 * l);
        double theta = TwoPi * u1;
        cache = r * Math.Sin(theta);
        has = true;
        return r * Math.Cos(theta) * 1.0 + 0.0;
    }

    /// <inheritdoc/>
    public bool Equals(TorchGenerator? other) =>
        other is not null && InitialSeed == other.InitialSeed && Left == other.Left && Next == other.Next
        && _hasCache == other._hasCache
        && BitConverter.DoubleToUInt64Bits(_cache) == BitConverter.DoubleToUInt64Bits(other._cache)
        && _mt.AsSpan().SequenceEqual(other._mt);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TorchGenerator g && Equals(g);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(InitialSeed); h.Add(Left); h.Add(Next); h.Add(_hasCache); h.Add(_cache);
        foreach (var w in _mt) h.Add(w);
        return h.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"TorchGenerator(seed={InitialSeed}, left={Left}, next={Next}, cache={(_hasCache ? BitConverter.DoubleToUInt64Bits(_cache).ToString("x16") : "none")})";
}
