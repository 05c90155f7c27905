using Cm.Pure.Noise.Philox;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Sampling;
using FsCheck.Xunit;
using Xunit;

namespace Cm.Tests.Simd;

/// <summary>
/// Every SIMD kernel of the core equals its scalar definition bit for bit: the step (float32 and
/// float64, every clip/denoised/noise combination, aliased destinations), the model-input division,
/// the MT19937 twist and bulk uniforms, torch's Box–Muller blocks (fused and unfused), whole
/// torch-compatible <c>randn</c> calls, and Philox normals. Inputs are edge-heavy (NaN, ±0, ±∞, ±1 and
/// its neighbours, subnormals, huge values) and lengths are rarely a multiple of the vector width.
/// The vector paths are called directly, so they are checked on any hardware.
/// </summary>
public sealed class SimdKernelProperties
{
    private const int Cases = 500;

    private static readonly float[] Edges =
    [
        float.NaN, -float.NaN, BitConverter.UInt32BitsToSingle(0x7FC00001), 0f, -0f, float.PositiveInfinity,
        float.NegativeInfinity, 1f, -1f, BitConverter.UInt32BitsToSingle(0x3F800001), BitConverter.UInt32BitsToSingle(0x3F7FFFFF),
        BitConverter.UInt32BitsToSingle(0xBF800001), BitConverter.UInt32BitsToSingle(0xBF7FFFFF), float.Epsilon, -float.Epsilon,
        float.MaxValue, float.MinValue, 1e-30f, -1e-30f, 0.5f, 2f, -2f, 3e38f,
    ];

    /// <summary>An edge value, a random bit pattern, or an ordinary value of a few units.</summary>
    private static float AnyFloat(Random r) => r.Next(4) switch
    {
        0 => Edges[r.Next(Edges.Length)],
        1 => BitConverter.UInt32BitsToSingle((uint)r.NextInt64(0, 1L << 32)),
        _ => (float)(r.NextDouble() * 6 - 3),
    };

    private static float[] Floats(Random r, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = AnyFloat(r);
        return a;
    }

    private static double[] Doubles(Random r, int n)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++)
            a[i] = r.Next(5) == 0 ? BitConverter.Int64BitsToDouble(r.NextInt64()) : AnyFloat(r) * (1 + r.NextDouble() * 1e-9);
        return a;
    }

    /// <summary>
    /// The bit pattern of each element, with every NaN written as one canonical NaN. IEEE 754 and .NET
    /// leave the sign and payload of a NaN result unspecified (x86 propagates the first operand's
    /// payload, and the JIT may commute operands: the scalar definition itself gives other NaN bits in
    /// Debug and Release builds), so NaN-ness is compared, not NaN payloads (as the golden files do).
    /// Everything else, −0 versus +0 and ±∞ included, is compared bit for bit.
    /// </summary>
    private static uint[] Bits(ReadOnlySpan<float> v)
    {
        var b = new uint[v.Length];
        for (int i = 0; i < v.Length; i++) b[i] = float.IsNaN(v[i]) ? 0x7FC00000u : BitConverter.SingleToUInt32Bits(v[i]);
        return b;
    }

    private static ulong[] Bits(ReadOnlySpan<double> v)
    {
        var b = new ulong[v.Length];
        for (int i = 0; i < v.Length; i++) b[i] = double.IsNaN(v[i]) ? 0x7FF8000000000000UL : BitConverter.DoubleToUInt64Bits(v[i]);
        return b;
    }

    private static StepScalars Scalars(Random r, bool ordinary) =>
        new(0, 0, 0, 0, 0,
            NoiseScale: ordinary ? (float)r.NextDouble() * 80 : AnyFloat(r),
            CSkip: ordinary ? (float)r.NextDouble() : AnyFloat(r),
            COut: ordinary ? (float)r.NextDouble() * 2 - 1 : AnyFloat(r),
            InputDivisor: ordinary ? 1 + (float)r.NextDouble() * 80 : AnyFloat(r),
            SNoise: ordinary ? (float)r.NextDouble() * 2 : AnyFloat(r),
            DrawsNoise: true);

    [Property(MaxTest = Cases)]
    public void Float32_step_vector_equals_the_scalar_definition(int seed, ushort length, byte flags)
    {
        var r = new Random(seed);
        int n = length % 300;
        bool clip = (flags & 1) != 0, keep = (flags & 2) != 0, noisy = (flags & 4) != 0;
        var s = Scalars(r, (flags & 8) != 0);
        float[] mo = Floats(r, n), x = Floats(r, n), nz = noisy ? Floats(r, n) : [];
        float[] d1 = keep ? new float[n] : [], d2 = keep ? new float[n] : [];
        var o1 = new float[n];
        var o2 = new float[n];
        StepKernel.ApplyScalar(s, clip, mo, x, nz, d1, o1);
        StepKernel.ApplyVector(s, clip, mo, x, nz, d2, o2);
        Assert.Equal(Bits(o1), Bits(o2));
        Assert.Equal(Bits(d1), Bits(d2));
        // The dispatching entry point gives the same bits.
        var o3 = new float[n];
        StepKernel.Apply(s, clip, mo, x, nz, [], o3);
        Assert.Equal(Bits(o1), Bits(o3));
    }

    [Property(MaxTest = Cases)]
    public void Float32_step_into_its_own_sample_or_noise_buffer_equals_the_definition(int seed, ushort length, bool clip, bool intoNoise)
    {
        var r = new Random(seed);
        int n = length % 200;
        var s = Scalars(r, false);
        float[] mo = Floats(r, n), x = Floats(r, n), nz = Floats(r, n);
        var expected = new float[n];
        StepKernel.ApplyScalar(s, clip, mo, x, nz, [], expected);
        var buffer = intoNoise ? (float[])nz.Clone() : (float[])x.Clone();
        if (intoNoise) StepKernel.ApplyVector(s, clip, mo, x, buffer, [], buffer);
        else StepKernel.ApplyVector(s, clip, mo, buffer, nz, [], buffer);
        Assert.Equal(Bits(expected), Bits(buffer));
    }

    [Property(MaxTest = Cases)]
    public void Float64_step_vector_equals_the_scalar_definition(int seed, ushort length, byte flags)
    {
        var r = new Random(seed);
        int n = length % 150;
        bool clip = (flags & 1) != 0, keep = (flags & 2) != 0, noisy = (flags & 4) != 0;
        var s = Scalars(r, (flags & 8) != 0);
        double sNoise = (flags & 16) != 0 ? AnyFloat(r) : r.NextDouble() * 2;
        double[] mo = Doubles(r, n), x = Doubles(r, n), nz = noisy ? Doubles(r, n) : [];
        double[] d1 = keep ? new double[n] : [], d2 = keep ? new double[n] : [];
        var o1 = new double[n];
        var o2 = new double[n];
        StepKernel.ApplyScalar(s, clip, sNoise, mo, x, nz, d1, o1);
        StepKernel.ApplyVector(s, clip, sNoise, mo, x, nz, d2, o2);
        Assert.Equal(Bits(o1), Bits(o2));
        Assert.Equal(Bits(d1), Bits(d2));
    }

    [Property(MaxTest = Cases)]
    public void Model_input_division_equals_the_scalar_definition(int seed, ushort length)
    {
        var r = new Random(seed);
        int n = length % 300;
        float divisor = AnyFloat(r);
        var x = Floats(r, n);
        var a = new float[n];
        var b = new float[n];
        StepKernel.ScaleInputScalar(divisor, x, a);
        StepKernel.ScaleInput(divisor, x, b);
        Assert.Equal(Bits(a), Bits(b));
        var xd = Doubles(r, n);
        var ad = new double[n];
        StepKernel.ScaleInput(divisor, xd, ad);
        var expected = new double[n];
        for (int i = 0; i < n; i++) expected[i] = xd[i] / (double)divisor;
        Assert.Equal(Bits(expected), Bits(ad));
    }

    [Property(MaxTest = Cases)]
    public void Mt19937_vector_twist_equals_the_scalar_twist(int seed)
    {
        var r = new Random(seed);
        var a = new uint[Mt19937.N];
        for (int i = 0; i < a.Length; i++) a[i] = (uint)r.NextInt64(0, 1L << 32);
        var b = (uint[])a.Clone();
        Mt19937.Twist(a);
        Mt19937.TwistVector(b);
        Assert.Equal(a, b);
    }

    [Property(MaxTest = Cases)]
    public void Mt19937_bulk_floats_equal_one_call_per_float(uint seed, ushort skip, ushort count)
    {
        var s1 = new uint[Mt19937.N];
        Mt19937.Seed(seed, s1);
        var s2 = (uint[])s1.Clone();
        var e1 = new Mt19937(s1, 1, 0);
        var e2 = new Mt19937(s2, 1, 0);
        for (int i = 0; i < skip % 1500; i++) { e1.NextUInt32(); e2.NextUInt32(); }
        int n = count % 2000;
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = e1.NextFloat();
        var b = new float[n];
        e2.FillFloats(b);
        Assert.Equal(Bits(a), Bits(b));
        Assert.Equal((e1.Left, e1.Next), (e2.Left, e2.Next));
        Assert.Equal(s1, s2);
    }

    [Property(MaxTest = Cases)]
    public void Torch_box_muller_vector_blocks_equal_the_scalar_kernel(int seed, byte blocks, bool fused)
    {
        var r = new Random(seed);
        int n = 16 * (1 + blocks % 12);
        var u = new float[n];
        for (int i = 0; i < n; i++)
            u[i] = r.Next(6) switch
            {
                0 => 0f,                                                    // a = 0: R = −0, outputs +0
                1 => 1f - 1f / 16777216f,                                   // largest uniform
                2 => (float)r.NextDouble(),                                 // any float in [0, 1)
                3 => r.Next(1 << 24) / 16777216f * (r.Next(2) == 0 ? 1 : 0), // grid, zeros often
                _ => (r.Next(1 << 24)) * (1.0f / 16777216.0f),               // the exact uniforms torch draws
            };
        var expected = (float[])u.Clone();
        for (int b = 0; b < n; b += 16) TorchBoxMuller.Avx2Block16(expected.AsSpan(b, 16), fused);
        var actual = (float[])u.Clone();
        TorchBoxMuller.Avx2Blocks(actual, fused);
        Assert.Equal(Bits(expected), Bits(actual));
    }

    [Property(MaxTest = Cases)]
    public void Torch_randn_vectorised_equals_the_scalar_definition(ulong seed, byte before, ushort length, byte kernel)
    {
        var variant = new TorchRandnVariant((TorchKernel)(kernel % 3), TorchScalarLog.Torch2Log1p);
        var g = TorchGenerator.ManualSeed(seed);
        // Position the generator anywhere: an earlier draw (small ones leave a cached normal).
        if (before % 4 != 0) g = g.FillRandn(new float[before % 4 == 1 ? 1 + before % 15 : before * 7], variant);
        int n = length % 5000;
        var a = new float[n];
        var b = new float[n];
        var ga = g.FillRandn(a, variant, vectorised: false);
        var gb = g.FillRandn(b, variant, vectorised: true);
        Assert.Equal(Bits(a), Bits(b));
        Assert.Equal(ga, gb);
    }

    [Property(MaxTest = Cases)]
    public void Philox_vectorised_normals_equal_the_scalar_definition(ulong seed, ulong stream, ulong start, ushort length, byte where)
    {
        // Starts near the 2^32-block boundary check the carry into the counter's high word.
        if (where % 3 == 0) start = (1UL << 34) - 4 * (ulong)(where % 17) - start % 4;
        else if (where % 3 == 1) start %= 1000;
        start = Math.Min(start, ulong.MaxValue - 1000);
        // Mostly short fills (heads, one AVX-512 group, an AVX2 group after it, tails), some long ones.
        int n = (where & 0x80) != 0 ? length % 1000 : length % 400;
        var a = new float[n];
        PhiloxNormal.Fill(seed, stream, start, a, PhiloxKernel.Scalar);
        var expected = Bits(a);
        // Each SIMD kernel (where the CPU has it; else its fallback), the bool form and the public entry point.
        foreach (var kernel in new[] { PhiloxKernel.Vector256, PhiloxKernel.Vector512 })
        {
            var b = new float[n];
            PhiloxNormal.Fill(seed, stream, start, b, kernel);
            Assert.Equal(expected, Bits(b));
        }
        var c = new float[n];
        PhiloxNormal.Fill(seed, stream, start, c, vectorised: true);
        Assert.Equal(expected, Bits(c));
        var d = new float[n];
        PhiloxNormal.Fill(seed, stream, start, d);
        Assert.Equal(expected, Bits(d));
    }

    [Property(MaxTest = Cases)]
    public void Philox_vector512_normals_equal_the_scalar_definition_around_block_2_pow_32(ulong seed, ulong stream, byte before, ushort length)
    {
        // A fill whose 16-block groups straddle block 2^32 (one group has counters on both sides).
        ulong start = (1UL << 34) - 4 * (ulong)(before % 40) - (ulong)(length % 4);
        int n = 64 + length % 300;
        var a = new float[n];
        var b = new float[n];
        PhiloxNormal.Fill(seed, stream, start, a, PhiloxKernel.Scalar);
        PhiloxNormal.Fill(seed, stream, start, b, PhiloxKernel.Vector512);
        Assert.Equal(Bits(a), Bits(b));
    }

    [Fact]
    public void The_fill_picks_the_widest_kernel_the_cpu_runs()
    {
        var expected = PhiloxNormal.Vector512Accelerated ? PhiloxKernel.Vector512
            : PhiloxNormal.VectorAccelerated ? PhiloxKernel.Vector256 : PhiloxKernel.Scalar;
        Assert.Equal(expected, PhiloxNormal.BestKernel);
    }
}
