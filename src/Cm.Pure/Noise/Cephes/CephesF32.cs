using System.Diagnostics.Contracts;
using System.Runtime.CompilerServices;

namespace Cm.Pure.Noise.Cephes;

/// <summary>
/// The Cephes single-precision <c>logc</c> and <c>sincosc</c> of <c>avx_mathfun.h</c>, written out
/// exactly as torch-cpu-randn.md §6.2 specifies them. Every constant is a float32 bit pattern and
/// every operation is one float32 operation, so the bits are the same on every IEEE-754 platform.
/// </summary>
/// <remarks>
/// <para>The <c>fused</c> flag selects the form: <c>true</c> is the GCC <c>-mfma</c> build that torch's
/// AVX2 kernel ships on Linux (each <c>fma32</c> of §6.2 is <see cref="MathF.FusedMultiplyAdd"/>);
/// <c>false</c> rounds every product first, which is what philox.md §4 requires. RyuJIT never
/// contracts <c>a*b+c</c> on its own, so the only FMAs are the explicit ones below.</para>
/// </remarks>
public static class CephesF32
{
    // Constants of §6.2, by bit pattern so that no decimal parse can move them.
    internal static readonly float One = F(0x3F800000);
    internal static readonly float Half = F(0x3F000000);
    internal static readonly float SqrtHf = F(0x3F3504F3);
    private static readonly float P0 = F(0x3D9021BB), P1 = F(0xBDEBD1B8), P2 = F(0x3DEF251A),
        P3 = F(0xBDFE5D4F), P4 = F(0x3E11E9BF), P5 = F(0xBE2AAE50), P6 = F(0x3E4CCEAC),
        P7 = F(0xBE7FFFFC), P8 = F(0x3EAAAAAA);
    private static readonly float Q1 = F(0xB95E8083), Q2 = F(0x3F318000);
    private static readonly float Fopi = F(0x3FA2F983);
    private static readonly float Dp1 = F(0xBF490000), Dp2 = F(0xB97DA000), Dp3 = F(0xB3222169);
    private static readonly float S0 = F(0xB94CA1F9), S1 = F(0x3C08839E), S2 = F(0xBE2AAAA3);
    private static readonly float C0 = F(0x37CCF5CE), C1 = F(0xBAB6061A), C2 = F(0x3D2AAAA5);

    private static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);

    /// <summary><c>fma32(a,b,c)</c> of §6.2 when fused, else <c>f32(f32(a·b)+c)</c> (§6.2 "Unfused variant").</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Fma(float a, float b, float c, bool fused) =>
        fused ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    /// <summary>Natural log for x in [2^-24, 1] (§6.2 <c>logc</c>, steps 1-8). logc(1) = +0.</summary>
    [Pure]
    public static float Logc(float x, bool fused)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        // 1. exponent (as float, plus ONE) and mantissa scaled into [0.5, 1).
        float e = (float)((int)(bits >> 23) - 127) + One;
        float m = F((bits & 0x807FFFFFu) | 0x3F000000u);
        // 2. reduce to t in [sqrt(1/2)-1, sqrt(2)-1); both forms are exact.
        float t;
        if (m < SqrtHf) { e -= One; t = (m - One) + m; }
        else t = m - One;
        // 3.-4. polynomial in t (Horner, fused per §6.2).
        float z = t * t;
        float y = P0;
        y = Fma(y, t, P1, fused); y = Fma(y, t, P2, fused); y = Fma(y, t, P3, fused);
        y = Fma(y, t, P4, fused); y = Fma(y, t, P5, fused); y = Fma(y, t, P6, fused);
        y = Fma(y, t, P7, fused); y = Fma(y, t, P8, fused);
        // 5. rounded, never fused.
        y *= t;
        // 6. e·Q1 rounded first, y·z fused into the add.
        y = Fma(y, z, e * Q1, fused);
        // 7. z·HALF is exact: fusing is irrelevant.
        y -= z * Half;
        // 8. e·Q2 is exact; each add rounded.
        return (t + y) + e * Q2;
    }

    /// <summary>Sine and cosine for x ≥ 0 (§6.2 <c>sincosc</c>, steps 1-7).</summary>
    [Pure]
    public static (float Sin, float Cos) SinCosc(float x, bool fused)
    {
        // 1. octant: one float32 multiply by the float32 4/π (not a double product).
        float y = x * Fopi;
        int q = (int)y;
        q = (q + 1) & ~1;
        float yq = q;
        // 2. signs and polynomial selection.
        uint sinSign = (q & 4) != 0 ? 0x80000000u : 0u;
        uint cosSign = ((q - 2) & 4) == 0 ? 0x80000000u : 0u;
        bool sel = (q & 2) == 0;
        // 3. extended-precision reduction; the DP3 fusion is the one that matters.
        float xr = Fma(yq, Dp3, Fma(yq, Dp2, Fma(yq, Dp1, x, fused), fused), fused);
        // 4.
        float z = xr * xr;
        // 5. cosine polynomial.
        float c = Fma(C0, z, C1, fused);
        c = Fma(c, z, C2, fused);
        c *= z;
        c = Fma(c, z, -(z * Half), fused);
        c += One;
        // 6. sine polynomial.
        float s = Fma(S0, z, S1, fused);
        s = Fma(s, z, S2, fused);
        s *= z;
        s = Fma(s, xr, xr, fused);
        // 7. select and flip signs by XOR on the sign bit.
        float sn = sel ? s : c, cs = sel ? c : s;
        return (F(BitConverter.SingleToUInt32Bits(sn) ^ sinSign), F(BitConverter.SingleToUInt32Bits(cs) ^ cosSign));
    }
}
