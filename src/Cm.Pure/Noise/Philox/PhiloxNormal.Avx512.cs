using System.Diagnostics.Contracts;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Cm.Pure.Noise.Cephes;

namespace Cm.Pure.Noise.Philox;

/// <summary>The AVX-512 kernel of <see cref="PhiloxNormal"/>: 16 blocks (64 normals) per step, bit-identical to the scalar definition.</summary>
public static partial class PhiloxNormal
{
    /// <summary>Normals per AVX-512 step: 16 blocks of 4.</summary>
    internal const int Group512 = 64;

    /// <summary>
    /// <paramref name="groups"/> groups of 16 consecutive blocks from block <paramref name="firstBlock"/>
    /// with AVX-512: the rounds of <see cref="FillGroups256"/> on two vectors of 8 counters (64-bit lanes,
    /// <c>vpmuludq</c> on 8 lanes), the unfused Box–Muller on 16 lanes, and a 4×16 transpose back to
    /// element order. The same operations as the scalar definition, lane by lane.
    /// </summary>
    private static void FillGroups512(ulong seed, ulong stream, ulong firstBlock, int groups, Span<float> destination) =>
        Groups512<NormalsOut512, float>(seed, stream, firstBlock, groups, destination);
    /// <summary>What the AVX-512 kernel does with the 64 words of a group of 16 blocks (a struct: specialised, no call).</summary>
    internal interface IGroupOut512<T> where T : unmanaged
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

    /// <summary>The ten Philox rounds on groups of 16 blocks (two vectors of 8 counters), each group handed to <typeparamref name="TOut"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Groups512<TOut, T>(ulong seed, ulong stream, ulong firstBlock, int groups, Span<T> destination)
        where TOut : struct, IGroupOut512<T> where T : unmanaged
    {
        ref var dst = ref MemoryMarshal.GetReference(destination);
        Span<ulong> keys = stackalloc ulong[2 * Philox4x32.Rounds];
        RoundKeys(seed, keys);
        var lanes = Vector512.Create(0UL, 1UL, 2UL, 3UL, 4UL, 5UL, 6UL, 7UL);
        var eight = Vector512.Create(8UL);
        var streamLo = Vector512.Create((ulong)(uint)stream);
        var streamHi = Vector512.Create(stream >> 32);
        var m0 = Vector512.Create((ulong)Philox4x32.M0).AsUInt32();
        var m1 = Vector512.Create((ulong)Philox4x32.M1).AsUInt32();
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
    internal static (Vector512<float> Even, Vector512<float> Odd) BoxMullerVector(Vector512<uint> wa, Vector512<uint> wb)
    {
        var scale = Vector512.Create(1.0f / 16777216.0f);
        var u = Vector512.ConvertToSingle(((wa >> 8) + Vector512<uint>.One).AsInt32()) * scale;
        var v = Vector512.ConvertToSingle((wb >> 8).AsInt32()) * scale;
        var r = Vector512.Sqrt(Vector512.Create(-2.0f) * CephesVector.LogcUnfused(u));
        var t = Vector512.Create(0x40C90FDBu).AsSingle() * v; // TwoPi
        var (s, c) = CephesVector.SinCoscUnfused(t);
        return (r * c, r * s);
    }

}
