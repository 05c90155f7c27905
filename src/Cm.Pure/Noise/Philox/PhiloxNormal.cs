using System.Diagnostics.Contracts;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Cm.Pure.Noise.Cephes;

namespace Cm.Pure.Noise.Philox;

/// <summary>
/// Words → float32 standard normals (philox.md §4): Box–Muller with the <b>unfused</b> Cephes
/// <c>logc</c>/<c>sincosc</c>, every operation a separately rounded float32 operation, no libm and no
/// FMA, so every IEEE-754 platform gives the same bits. Lanes (0,1) and (2,3) of a block are pairs.
/// </summary>
public static partial class PhiloxNormal
{
    private static readonly float TwoPi = BitConverter.UInt32BitsToSingle(0x40C90FDB);

    /// <summary>
    /// <c>BM(wa, wb)</c> of §4: u = closed1(wa) is the radius input, v = open1(wb) the angle input;
    /// returns (r·cos t, r·sin t). For u = 1, r = −0 and the results are ±0, kept as computed.
    /// </summary>
    [Pure]
    public static (float Even, float Odd) BoxMuller(uint wa, uint wb)
    {
        float u = PhiloxUniform.Closed1(wa);
        float v = PhiloxUniform.Open1(wb);
        float r = MathF.Sqrt(-2.0f * CephesF32.Logc(u, fused: false));
        float t = TwoPi * v;
        var (s, c) = CephesF32.SinCosc(t, fused: false);
        return (r * c, r * s);
    }

    /// <summary>The four normals of one block of words (§4).</summary>
    [Pure]
    public static (float Z0, float Z1, float Z2, float Z3) OfBlock(Philox4x32Words w)
    {
        var (z0, z1) = BoxMuller(w.X0, w.X1);
        var (z2, z3) = BoxMuller(w.X2, w.X3);
        return (z0, z1, z2, z3);
    }

    /// <summary>
    /// Writes normals <c>start .. start + destination.Length</c> of stream <paramref name="stream"/>
    /// under <paramref name="seed"/>. Each value depends only on (seed, stream, element index), so any
    /// slice equals the same slice of a longer fill, whatever the order or thread that computes it.
    /// </summary>
    /// <remarks>With AVX-512, whole groups of 16 blocks (64 normals) are computed 16 blocks at a time; with
    /// AVX2, groups of 8 blocks (32 normals) 8 at a time (<see cref="VectorAccelerated"/>); the bits are
    /// those of the scalar definition.</remarks>
    public static void Fill(ulong seed, ulong stream, ulong start, Span<float> destination) =>
        Fill(seed, stream, start, destination, BestKernel);

    /// <summary>Whether <see cref="Fill(ulong, ulong, ulong, Span{float})"/> runs a SIMD kernel (AVX2 or AVX-512) on this machine.</summary>
    public static bool VectorAccelerated => Avx2.IsSupported;

    /// <summary>Whether <see cref="Fill(ulong, ulong, ulong, Span{float})"/> runs the AVX-512 kernel on this machine.</summary>
    public static bool Vector512Accelerated => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx2.IsSupported;

    /// <summary>The widest kernel this machine runs.</summary>
    internal static PhiloxKernel BestKernel =>
        Vector512Accelerated ? PhiloxKernel.Vector512 : Avx2.IsSupported ? PhiloxKernel.Vector256 : PhiloxKernel.Scalar;

    /// <summary>The fill with the best SIMD kernel (<paramref name="vectorised"/>, where supported) or the scalar definition.</summary>
    internal static void Fill(ulong seed, ulong stream, ulong start, Span<float> destination, bool vectorised) =>
        Fill(seed, stream, start, destination, vectorised ? BestKernel : PhiloxKernel.Scalar);

    /// <summary>
    /// The fill with <paramref name="kernel"/> where the CPU supports it (AVX-512 falls back to AVX2, AVX2
    /// to the scalar definition). Scalar head up to a block boundary, whole groups in SIMD (an AVX-512
    /// fill finishes with at most one AVX2 group), scalar rest.
    /// </summary>
    internal static void Fill(ulong seed, ulong stream, ulong start, Span<float> destination, PhiloxKernel kernel)
    {
        if (destination.IsEmpty) return;
        if ((ulong)destination.Length - 1 > ulong.MaxValue - start)
            throw new ArgumentOutOfRangeException(nameof(start), start, "element indices of a stream must stay below 2^64");
        if (kernel == PhiloxKernel.Vector512 && !(Avx512F.IsSupported && Avx2.IsSupported)) kernel = PhiloxKernel.Vector256;
        if (kernel != PhiloxKernel.Scalar && Avx2.IsSupported && destination.Length >= Group256 + 3)
        {
            int head = (int)((4 - start % 4) % 4);
            FillScalar(seed, stream, start, destination[..head]);
            ulong block = (start + (ulong)head) / 4;
            int done = head;
            if (kernel == PhiloxKernel.Vector512)
            {
                int groups512 = (destination.Length - done) / Group512;
                if (groups512 > 0)
                {
                    FillGroups512(seed, stream, block, groups512, destination.Slice(done, groups512 * Group512));
                    done += groups512 * Group512;
                    block += (ulong)groups512 * 16;
                }
            }
            int groups = (destination.Length - done) / Group256;
            if (groups > 0)
            {
                FillGroups256(seed, stream, block, groups, destination.Slice(done, groups * Group256));
                done += groups * Group256;
            }
            FillScalar(seed, stream, start + (ulong)done, destination[done..]);
            return;
        }
        FillScalar(seed, stream, start, destination);
    }

    private static void FillScalar(ulong seed, ulong stream, ulong start, Span<float> destination)
    {
        if (destination.IsEmpty) return;
        Span<float> z = stackalloc float[4];
        ulong element = start;
        int written = 0;
        while (written < destination.Length)
        {
            ulong block = element / 4;
            int lane = (int)(element % 4);
            (z[0], z[1], z[2], z[3]) = OfBlock(Philox4x32.Words(seed, stream, block));
            int take = Math.Min(4 - lane, destination.Length - written);
            z.Slice(lane, take).CopyTo(destination.Slice(written, take));
            written += take;
            element += (ulong)take;
        }
    }

    /// <summary>
    /// The key of each of the ten rounds, (k0, k1) zero-extended to 64-bit lanes: the seed's halves, bumped by
    /// the Weyl increments between rounds (philox.md §1). Shared by the AVX2 and AVX-512 kernels, outside their hot loops.
    /// </summary>
    private static void RoundKeys(ulong seed, Span<ulong> keys)
    {
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        for (int r = 0; r < Philox4x32.Rounds; r++)
        {
            if (r > 0) { k0 += Philox4x32.W0; k1 += Philox4x32.W1; }
            keys[2 * r] = k0;
            keys[2 * r + 1] = k1;
        }
    }
}
