using System.Diagnostics.Contracts;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Cm.Pure.Noise.Cephes;

namespace Cm.Pure.Noise.Philox;

/// <summary>The AVX2 kernel of <see cref="PhiloxNormal"/>: 8 blocks (32 normals) per step, bit-identical to the scalar definition.</summary>
public static partial class PhiloxNormal
{
    /// <summary>Normals per AVX2 step: 8 blocks of 4.</summary>
    private const int Group256 = 32;

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
    private static void FillGroups256(ulong seed, ulong stream, ulong firstBlock, int groups, Span<float> destination)
    {
        ref var dst = ref MemoryMarshal.GetReference(destination);
        Span<ulong> keys = stackalloc ulong[2 * Philox4x32.Rounds];
        RoundKeys(seed, keys);
        var lanes = Vector256.Create(0UL, 1UL, 2UL, 3UL);
        var four = Vector256.Create(4UL);
        var streamLo = Vector256.Create((ulong)(uint)stream);
        var streamHi = Vector256.Create(stream >> 32);
        var m0 = Vector256.Create((ulong)Philox4x32.M0).AsUInt32();
        var m1 = Vector256.Create((ulong)Philox4x32.M1).AsUInt32();
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
            nuint o = (nuint)(g * Group256);
            Avx.Permute2x128(u0, u1, 0x20).StoreUnsafe(ref dst, o);
            Avx.Permute2x128(u2, u3, 0x20).StoreUnsafe(ref dst, o + 8);
            Avx.Permute2x128(u0, u1, 0x31).StoreUnsafe(ref dst, o + 16);
            Avx.Permute2x128(u2, u3, 0x31).StoreUnsafe(ref dst, o + 24);
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
}
