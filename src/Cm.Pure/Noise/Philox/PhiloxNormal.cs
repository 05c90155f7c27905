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
public static class PhiloxNormal
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

    /// <summary>Normals per AVX2 step: 8 blocks of 4.</summary>
    private const int Group = 32;

    /// <summary>Normals per AVX-512 step: 16 blocks of 4.</summary>
    private const int Group512 = 64;

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
        if (kernel != PhiloxKernel.Scalar && Avx2.IsSupported && destination.Length >= Group + 3)
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
            int groups = (destination.Length - done) / Group;
            if (groups > 0)
            {
                FillGroups(seed, stream, block, groups, destination.Slice(done, groups * Group));
                done += groups * Group;
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
    /// <paramref name="groups"/> groups of 8 consecutive blocks from block <paramref name="firstBlock"/>:
    /// the Philox rounds on 8 counters at once, the unfused Box–Muller of <see cref="BoxMuller"/> on the
    /// (o0, o1) and (o2, o3) pairs, and a 4×8 transpose back to element order.
    /// </summary>
    /// <remarks>
    /// The rounds keep each counter word in a 64-bit lane (two vectors of 4 blocks), so that one
    /// <see cref="Avx2.Multiply(Vector256{uint}, Vector256{uint})"/> gives the full 64-bit product and a shift its
    /// high word. Only the low 32 bits of a lane are meaningful: the multiplier reads only those, the
    /// XORs never move high bits down, and the final narrowing drops them.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillGroups(ulong seed, ulong stream, ulong firstBlock, int groups, Span<float> destination)
    {
        ref var dst = ref MemoryMarshal.GetReference(destination);
        Span<ulong> keys = stackalloc ulong[2 * Philox4x32.Rounds];
        RoundKeys(seed, keys);
        var lanes = Vector256.Create(0UL, 1UL, 2UL, 3UL);
        var four = Vector256.Create(4UL);
        var streamLo = Vector256.Create((ulong)(uint)stream);
        var streamHi = Vector256.Create(stream >> 32);
        var m0 = Vector256.Create(0xD2511F53UL).AsUInt32();
        var m1 = Vector256.Create(0xCD9E8D57UL).AsUInt32();
        for (int g = 0; g < groups; g++)
        {
            var blockA = Vector256.Create(firstBlock + (ulong)g * 8) + lanes;
            var blockB = blockA + four;
            Vector256<ulong> a0 = blockA, a1 = blockA >> 32, a2 = streamLo, a3 = streamHi;
            Vector256<ulong> b0 = blockB, b1 = blockB >> 32, b2 = streamLo, b3 = streamHi;
            // The ten rounds, unrolled (keys precomputed; the loop form spilled its state).
            // round 0
            {
                var ka = Vector256.Create(keys[0]); var kb = Vector256.Create(keys[1]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 1
            {
                var ka = Vector256.Create(keys[2]); var kb = Vector256.Create(keys[3]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 2
            {
                var ka = Vector256.Create(keys[4]); var kb = Vector256.Create(keys[5]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 3
            {
                var ka = Vector256.Create(keys[6]); var kb = Vector256.Create(keys[7]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 4
            {
                var ka = Vector256.Create(keys[8]); var kb = Vector256.Create(keys[9]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 5
            {
                var ka = Vector256.Create(keys[10]); var kb = Vector256.Create(keys[11]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 6
            {
                var ka = Vector256.Create(keys[12]); var kb = Vector256.Create(keys[13]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 7
            {
                var ka = Vector256.Create(keys[14]); var kb = Vector256.Create(keys[15]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 8
            {
                var ka = Vector256.Create(keys[16]); var kb = Vector256.Create(keys[17]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 9
            {
                var ka = Vector256.Create(keys[18]); var kb = Vector256.Create(keys[19]);
                var pa0 = Avx2.Multiply(a0.AsUInt32(), m0); var pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx2.Multiply(b0.AsUInt32(), m0); var pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            var (z0, z1) = BoxMullerVector(Vector256.Narrow(a0, b0), Vector256.Narrow(a1, b1));
            var (z2, z3) = BoxMullerVector(Vector256.Narrow(a2, b2), Vector256.Narrow(a3, b3));
            // Transpose: element 4i + j of the group is zj of lane i.
            var t0 = Avx.UnpackLow(z0, z1);   // z0 z1 of lanes 0,1 | 4,5
            var t1 = Avx.UnpackHigh(z0, z1);  // lanes 2,3 | 6,7
            var t2 = Avx.UnpackLow(z2, z3);
            var t3 = Avx.UnpackHigh(z2, z3);
            var u0 = Avx.UnpackLow(t0.AsDouble(), t2.AsDouble()).AsSingle();  // lane 0 | 4
            var u1 = Avx.UnpackHigh(t0.AsDouble(), t2.AsDouble()).AsSingle(); // lane 1 | 5
            var u2 = Avx.UnpackLow(t1.AsDouble(), t3.AsDouble()).AsSingle();  // lane 2 | 6
            var u3 = Avx.UnpackHigh(t1.AsDouble(), t3.AsDouble()).AsSingle(); // lane 3 | 7
            nuint o = (nuint)(g * Group);
            Avx.Permute2x128(u0, u1, 0x20).StoreUnsafe(ref dst, o);
            Avx.Permute2x128(u2, u3, 0x20).StoreUnsafe(ref dst, o + 8);
            Avx.Permute2x128(u0, u1, 0x31).StoreUnsafe(ref dst, o + 16);
            Avx.Permute2x128(u2, u3, 0x31).StoreUnsafe(ref dst, o + 24);
        }
    }

    /// <summary>
    /// The key of each of the ten rounds, (k0, k1) zero-extended to 64-bit lanes: the seed's halves, bumped by
    /// the Weyl increments between rounds (philox.md §1). Shared by the AVX2 and AVX-512 kernels.
    /// </summary>
    private static void RoundKeys(ulong seed, Span<ulong> keys)
    {
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        for (int r = 0; r < Philox4x32.Rounds; r++)
        {
            if (r > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
            keys[2 * r] = k0;
            keys[2 * r + 1] = k1;
        }
    }

    /// <summary>a ^ b ^ c: one ternary-logic instruction with AVX-512VL, else two XORs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Xor3(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c;

    /// <summary><see cref="BoxMuller"/> on 8 lanes: unfused Cephes, every operation rounded on its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) BoxMullerVector(Vector256<uint> wa, Vector256<uint> wb)
    {
        var scale = Vector256.Create(1.0f / 16777216.0f);
        var u = Vector256.ConvertToSingle(((wa >> 8) + Vector256<uint>.One).AsInt32()) * scale;
        var v = Vector256.ConvertToSingle((wb >> 8).AsInt32()) * scale;
        var r = Vector256.Sqrt(Vector256.Create(-2.0f) * CephesVector.Logc<Unfused>(u));
        var t = Vector256.Create(0x40C90FDBu).AsSingle() * v; // TwoPi
        var (s, c) = CephesVector.SinCosc<Unfused>(t);
        return (r * c, r * s);
    }

    /// <summary>
    /// <paramref name="groups"/> groups of 16 consecutive blocks from block <paramref name="firstBlock"/>
    /// with AVX-512: the rounds of <see cref="FillGroups"/> on two vectors of 8 counters (64-bit lanes,
    /// <c>vpmuludq</c> on 8 lanes), the unfused Box–Muller on 16 lanes, and a 4×16 transpose back to
    /// element order. The same operations as the scalar definition, lane by lane.
    /// </summary>
    private static void FillGroups512(ulong seed, ulong stream, ulong firstBlock, int groups, Span<float> destination) =>
        Groups512<NormalsOut512, float>(seed, stream, firstBlock, groups, destination);

    /// <summary>
    /// Benchmark floor (AVX-512 only): the Philox rounds of <see cref="FillGroups512"/> alone, the words
    /// of 16 blocks per step stored word by word (16 × o0, 16 × o1, …), no Box–Muller and no transpose.
    /// <paramref name="destination"/> holds <c>64 · groups</c> words.
    /// </summary>
    internal static void WordsOnly512(ulong seed, ulong stream, ulong firstBlock, int groups, Span<uint> destination) =>
        Groups512<WordsOut512, uint>(seed, stream, firstBlock, groups, destination);

    /// <summary>What the AVX-512 kernel does with the 64 words of a group of 16 blocks (a struct: specialised, no call).</summary>
    private interface IGroupOut512<T> where T : unmanaged
    {
        /// <summary>Writes group output at <paramref name="o"/>: a0..a3 hold blocks 0–7, b0..b3 blocks 8–15, word j of each block in aj/bj.</summary>
        static abstract void Store(ref T dst, nuint o,
            Vector512<ulong> a0, Vector512<ulong> a1, Vector512<ulong> a2, Vector512<ulong> a3,
            Vector512<ulong> b0, Vector512<ulong> b1, Vector512<ulong> b2, Vector512<ulong> b3);
    }

    /// <summary>The normals: Box–Muller on 16 lanes, then the transpose to element order.</summary>
    private readonly struct NormalsOut512 : IGroupOut512<float>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(ref float dst, nuint o,
            Vector512<ulong> a0, Vector512<ulong> a1, Vector512<ulong> a2, Vector512<ulong> a3,
            Vector512<ulong> b0, Vector512<ulong> b1, Vector512<ulong> b2, Vector512<ulong> b3)
        {
            var (z0, z1) = BoxMullerVector(Vector512.Narrow(a0, b0), Vector512.Narrow(a1, b1));
            var (z2, z3) = BoxMullerVector(Vector512.Narrow(a2, b2), Vector512.Narrow(a3, b3));
            // Transpose: element 4i + j of the group is zj of lane i. Within each 128-bit lane k the
            // unpacks give u_j = the 4 normals of block 4k + j; then a 4×4 transpose of 128-bit lanes.
            var t0 = Avx512F.UnpackLow(z0, z1);
            var t1 = Avx512F.UnpackHigh(z0, z1);
            var t2 = Avx512F.UnpackLow(z2, z3);
            var t3 = Avx512F.UnpackHigh(z2, z3);
            var u0 = Avx512F.UnpackLow(t0.AsDouble(), t2.AsDouble()).AsSingle();  // block 4k
            var u1 = Avx512F.UnpackHigh(t0.AsDouble(), t2.AsDouble()).AsSingle(); // block 4k + 1
            var u2 = Avx512F.UnpackLow(t1.AsDouble(), t3.AsDouble()).AsSingle();  // block 4k + 2
            var u3 = Avx512F.UnpackHigh(t1.AsDouble(), t3.AsDouble()).AsSingle(); // block 4k + 3
            var v0 = Avx512F.Shuffle4x128(u0, u1, 0x44); // u0.0 u0.1 u1.0 u1.1
            var v1 = Avx512F.Shuffle4x128(u0, u1, 0xEE); // u0.2 u0.3 u1.2 u1.3
            var v2 = Avx512F.Shuffle4x128(u2, u3, 0x44); // u2.0 u2.1 u3.0 u3.1
            var v3 = Avx512F.Shuffle4x128(u2, u3, 0xEE); // u2.2 u2.3 u3.2 u3.3
            Avx512F.Shuffle4x128(v0, v2, 0x88).StoreUnsafe(ref dst, o);      // blocks 0..3
            Avx512F.Shuffle4x128(v0, v2, 0xDD).StoreUnsafe(ref dst, o + 16); // blocks 4..7
            Avx512F.Shuffle4x128(v1, v3, 0x88).StoreUnsafe(ref dst, o + 32); // blocks 8..11
            Avx512F.Shuffle4x128(v1, v3, 0xDD).StoreUnsafe(ref dst, o + 48); // blocks 12..15
        }
    }

    /// <summary>The raw words, word by word (benchmark floor).</summary>
    private readonly struct WordsOut512 : IGroupOut512<uint>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(ref uint dst, nuint o,
            Vector512<ulong> a0, Vector512<ulong> a1, Vector512<ulong> a2, Vector512<ulong> a3,
            Vector512<ulong> b0, Vector512<ulong> b1, Vector512<ulong> b2, Vector512<ulong> b3)
        {
            Vector512.Narrow(a0, b0).StoreUnsafe(ref dst, o);
            Vector512.Narrow(a1, b1).StoreUnsafe(ref dst, o + 16);
            Vector512.Narrow(a2, b2).StoreUnsafe(ref dst, o + 32);
            Vector512.Narrow(a3, b3).StoreUnsafe(ref dst, o + 48);
        }
    }

    /// <summary>The ten Philox rounds on groups of 16 blocks (two vectors of 8 counters), each group handed to <typeparamref name="TOut"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Groups512<TOut, T>(ulong seed, ulong stream, ulong firstBlock, int groups, Span<T> destination)
        where TOut : struct, IGroupOut512<T> where T : unmanaged
    {
        ref var dst = ref MemoryMarshal.GetReference(destination);
        Span<ulong> keys = stackalloc ulong[2 * Philox4x32.Rounds];
        RoundKeys(seed, keys);
        var lanes = Vector512.Create(0UL, 1UL, 2UL, 3UL, 4UL, 5UL, 6UL, 7UL);
        var eight = Vector512.Create(8UL);
        var streamLo = Vector512.Create((ulong)(uint)stream);
        var streamHi = Vector512.Create(stream >> 32);
        var m0 = Vector512.Create(0xD2511F53UL).AsUInt32();
        var m1 = Vector512.Create(0xCD9E8D57UL).AsUInt32();
        for (int g = 0; g < groups; g++)
        {
            var blockA = Vector512.Create(firstBlock + (ulong)g * 16) + lanes;
            var blockB = blockA + eight;
            Vector512<ulong> a0 = blockA, a1 = blockA >> 32, a2 = streamLo, a3 = streamHi;
            Vector512<ulong> b0 = blockB, b1 = blockB >> 32, b2 = streamLo, b3 = streamHi;
            // round 0
            {
                var ka = Vector512.Create(keys[0]); var kb = Vector512.Create(keys[1]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 1
            {
                var ka = Vector512.Create(keys[2]); var kb = Vector512.Create(keys[3]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 2
            {
                var ka = Vector512.Create(keys[4]); var kb = Vector512.Create(keys[5]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 3
            {
                var ka = Vector512.Create(keys[6]); var kb = Vector512.Create(keys[7]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 4
            {
                var ka = Vector512.Create(keys[8]); var kb = Vector512.Create(keys[9]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 5
            {
                var ka = Vector512.Create(keys[10]); var kb = Vector512.Create(keys[11]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 6
            {
                var ka = Vector512.Create(keys[12]); var kb = Vector512.Create(keys[13]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 7
            {
                var ka = Vector512.Create(keys[14]); var kb = Vector512.Create(keys[15]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 8
            {
                var ka = Vector512.Create(keys[16]); var kb = Vector512.Create(keys[17]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            // round 9
            {
                var ka = Vector512.Create(keys[18]); var kb = Vector512.Create(keys[19]);
                var pa0 = Avx512F.Multiply(a0.AsUInt32(), m0); var pa1 = Avx512F.Multiply(a2.AsUInt32(), m1);
                var pb0 = Avx512F.Multiply(b0.AsUInt32(), m0); var pb1 = Avx512F.Multiply(b2.AsUInt32(), m1);
                a0 = Xor3(pa1 >> 32, a1, ka); a1 = pa1; a2 = Xor3(pa0 >> 32, a3, kb); a3 = pa0;
                b0 = Xor3(pb1 >> 32, b1, ka); b1 = pb1; b2 = Xor3(pb0 >> 32, b3, kb); b3 = pb0;
            }
            TOut.Store(ref dst, (nuint)(g * Group512), a0, a1, a2, a3, b0, b1, b2, b3);
        }
    }

    /// <summary>a ^ b ^ c: one ternary-logic instruction (AVX-512F).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Xor3(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) =>
        Avx512F.TernaryLogic(a, b, c, 0x96);

    /// <summary><see cref="BoxMuller"/> on 16 lanes: unfused Cephes, every operation rounded on its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<float> Even, Vector512<float> Odd) BoxMullerVector(Vector512<uint> wa, Vector512<uint> wb)
    {
        var scale = Vector512.Create(1.0f / 16777216.0f);
        var u = Vector512.ConvertToSingle(((wa >> 8) + Vector512<uint>.One).AsInt32()) * scale;
        var v = Vector512.ConvertToSingle((wb >> 8).AsInt32()) * scale;
        var r = Vector512.Sqrt(Vector512.Create(-2.0f) * CephesVector.LogcUnfused(u));
        var t = Vector512.Create(0x40C90FDBu).AsSingle() * v; // TwoPi
        var (s, c) = CephesVector.SinCoscUnfused(t);
        return (r * c, r * s);
    }

    /// <summary>
    /// Benchmark floor (AVX-512 only): the 16-lane unfused Box–Muller of <see cref="FillGroups512"/> alone,
    /// on words already in memory: each 32 words (16 radius, 16 angle) give 32 normals (even then odd, no
    /// transpose). Not a fill of any stream; <paramref name="words"/> and <paramref name="destination"/>
    /// have the same length, a multiple of 32.
    /// </summary>
    internal static void BoxMullerOnly512(ReadOnlySpan<uint> words, Span<float> destination)
    {
        if (!Avx512F.IsSupported || words.Length != destination.Length || words.Length % 32 != 0)
            throw new ArgumentException("AVX-512 and equal lengths, a multiple of 32, are required");
        ref var w = ref MemoryMarshal.GetReference(words);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; i < (nuint)words.Length; i += 32)
        {
            var (even, odd) = BoxMullerVector(Vector512.LoadUnsafe(ref w, i), Vector512.LoadUnsafe(ref w, i + 16));
            even.StoreUnsafe(ref dst, i);
            odd.StoreUnsafe(ref dst, i + 16);
        }
    }
}

/// <summary>Which Philox normal kernel a fill asks for (a SIMD one falls back where the CPU lacks it).</summary>
internal enum PhiloxKernel
{
    /// <summary>The scalar definition.</summary>
    Scalar,
    /// <summary>8 blocks per step with AVX2.</summary>
    Vector256,
    /// <summary>16 blocks per step with AVX-512F.</summary>
    Vector512,
}
