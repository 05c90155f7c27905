using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Cm.Pure.Noise.Cephes;

namespace Cm.Pure.Noise.Torch;

/// <summary>
/// The in-place 16-lane Box–Muller transforms of torch's vectorised fill (torch-cpu-randn.md §6).
/// Lane j (0..7) pairs the radius input <c>a = block[j]</c> with the angle input <c>b = block[j+8]</c>
/// and writes <c>R·cos</c> to lane j and <c>R·sin</c> to lane j+8.
/// </summary>
public static class TorchBoxMuller
{
    /// <summary>Lanes in one block.</summary>
    public const int BlockSize = 16;

    private static readonly float MinusTwo = BitConverter.UInt32BitsToSingle(0xC0000000);
    private static readonly float TwoPi = BitConverter.UInt32BitsToSingle(0x40C90FDB);
    private const float Std = 1.0f, Mean = 0.0f;

    /// <summary>§6.2: the AVX2 kernel, fused (GCC/Linux) or unfused. Float32 operations only.</summary>
    public static void Avx2Block16(Span<float> block, bool fused)
    {
        var b16 = block[..BlockSize];
        for (int j = 0; j < 8; j++)
        {
            float a1 = CephesF32.One - b16[j];
            float r = MathF.Sqrt(MinusTwo * CephesF32.Logc(a1, fused));
            float t = TwoPi * b16[j + 8];
            var (s, c) = CephesF32.SinCosc(t, fused);
            // fma32(R×C, STD, MEAN): the product is rounded first, then ·1 + 0 (a −0 becomes +0).
            b16[j] = Fma(r * c, Std, Mean, fused);
            b16[j + 8] = Fma(r * s, Std, Mean, fused);
        }
    }

    /// <summary>
    /// Whether <see cref="Avx2Blocks"/> runs on vector hardware: 256-bit vectors accelerated and, for the
    /// fused form, a hardware FMA. Without them the scalar <see cref="Avx2Block16"/> is the fallback.
    /// </summary>
    internal static bool VectorAccelerated(bool fused) =>
        Vector256.IsHardwareAccelerated && (!fused || System.Runtime.Intrinsics.X86.Fma.IsSupported
            || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported);

    /// <summary>
    /// <see cref="Avx2Block16"/> on every whole block of 16 in <paramref name="blocks"/> (its length must be
    /// a multiple of 16), 8 lanes at a time: lanes 0..7 of a block are the radius inputs and lanes 8..15
    /// the angle inputs, one <see cref="Vector256{T}"/> each, which is the layout of torch's own AVX2
    /// kernel. The same float32 operations and the same fusions as the scalar form, so the same bits.
    /// </summary>
    internal static void Avx2Blocks(Span<float> blocks, bool fused)
    {
        if (blocks.Length % BlockSize != 0) throw new ArgumentException("whole blocks of 16 only", nameof(blocks));
        if (fused) Avx2BlocksCore<Fused>(blocks); else Avx2BlocksCore<Unfused>(blocks);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx2BlocksCore<TFma>(Span<float> blocks) where TFma : struct, IFmaMode
    {
        ref var p = ref MemoryMarshal.GetReference(blocks);
        var one = Vector256.Create(CephesF32.One);
        var minusTwo = Vector256.Create(MinusTwo);
        var twoPi = Vector256.Create(TwoPi);
        for (int b = 0; b < blocks.Length; b += BlockSize)
        {
            var a = Vector256.LoadUnsafe(ref p, (nuint)b);
            var t = twoPi * Vector256.LoadUnsafe(ref p, (nuint)(b + 8));
            var r = Vector256.Sqrt(minusTwo * CephesVector.Logc<TFma>(one - a));
            var (sn, cs) = CephesVector.SinCosc<TFma>(t);
            // fma32(R×C, 1, 0) with R×C rounded first is (R×C) + 0 either way: −0 becomes +0.
            (r * cs + Vector256<float>.Zero).StoreUnsafe(ref p, (nuint)b);
            (r * sn + Vector256<float>.Zero).StoreUnsafe(ref p, (nuint)(b + 8));
        }
    }

    private static float Fma(float a, float b, float c, bool fused) =>
        fused ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>§6.3: the default (non-AVX2) kernel, with the platform's <c>logf/sinf/cosf</c>.</summary>
    public static void DefaultBlock16(Span<float> block)
    {
        var b16 = block[..BlockSize];
        for (int j = 0; j < 8; j++)
        {
            float r = MathF.Sqrt(-2.0f * MathF.Log(1.0f - b16[j]));
            float t = (float)(6.283185307179586 * b16[j + 8]); // angle in double, stored as float
            b16[j] = (r * MathF.Cos(t)) * Std + Mean;
            b16[j + 8] = (r * MathF.Sin(t)) * Std + Mean;
        }
    }

    /// <summary>§6.4: the float64 transform, every kernel; platform <see cref="Math.Log(double)"/>/Sin/Cos.</summary>
    public static void Block16(Span<double> block)
    {
        var b16 = block[..BlockSize];
        for (int j = 0; j < 8; j++)
        {
            double r = Math.Sqrt(-2.0 * Math.Log(1.0 - b16[j]));
            double t = 6.283185307179586 * b16[j + 8];
            b16[j] = r * Math.Cos(t) * 1.0 + 0.0;
            b16[j + 8] = r * Math.Sin(t) * 1.0 + 0.0;
        }
    }
}
