using System.Diagnostics.Contracts;

namespace Cm.Pure.Noise.Torch;

/// <summary>
/// A managed port of glibc's double <c>log1p</c> (fdlibm <c>s_log1p.c</c>) as its FMA build on
/// x86-64 computes it, restricted to the arguments <c>x = -u</c>, <c>u ∈ [0, 1)</c> that torch 2.x's
/// scalar randn path produces (torch-cpu-randn.md §5.1). It is not correctly rounded, and it does not
/// need to be: it has to equal glibc bit for bit, which neither <c>Math.Log(1 - u)</c> nor
/// <c>double.LogP1</c> does. Pure double arithmetic, with <see cref="Math.FusedMultiplyAdd"/> exactly
/// where §5.1 says <c>fma64</c>, so it gives the same bits on every platform.
/// </summary>
public static class GlibcLog1p
{
    private static readonly double Ln2Hi = D(0x3FE62E42FEE00000), Ln2Lo = D(0x3DEA39EF35793C76);
    private static readonly double L1 = D(0x3FE5555555555593), L2 = D(0x3FD999999997FA04),
        L3 = D(0x3FD2492494229359), L4 = D(0x3FCC71C51D8E78AF), L5 = D(0x3FC7466496CB03DE),
        L6 = D(0x3FC39A09D078C69F), L7 = D(0x3FC2F112DF3E5244);
    private static readonly double TwoThirds = D(0x3FE5555555555555);

    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);
    private static uint Hi(double d) => (uint)(BitConverter.DoubleToUInt64Bits(d) >> 32);

    /// <summary><c>log1p(-u)</c> for <paramref name="u"/> in [0, 1), bit-identical to glibc's FMA build.</summary>
    /// <exception cref="ArgumentOutOfRangeException">u outside [0, 1) (the port covers only that range).</exception>
    [Pure]
    public static double OfNegated(double u)
    {
        if (!(u >= 0.0 && u < 1.0)) throw new ArgumentOutOfRangeException(nameof(u), u, "GlibcLog1p covers log1p(-u) for u in [0, 1) only");
        double x = -u;
        // 1.-2. tiny arguments (§5.1 steps 1-2).
        if (u < D(0x3C90000000000000)) return x;                 // 2^-54
        if (u < D(0x3E20000000000000)) return x - (x * x) * 0.5; // 2^-29

        // 3. reduction.
        int k;
        double f;
        bool nearOne;
        if (Hi(u) <= 0x3FD2BEC3u)
        {
            k = 0; f = x; nearOne = false;
        }
        else
        {
            double v = 1.0 + x; // exact
            ulong vb = BitConverter.DoubleToUInt64Bits(v);
            uint hv = (uint)(vb >> 32);
            k = (int)(hv >> 20) - 1023;
            uint h = hv & 0xFFFFFu;
            ulong lo = vb & 0xFFFFFFFFUL;
            double m;
            if (h < 0x6A09Eu) m = D(((ulong)(h | 0x3FF00000u) << 32) | lo);
            else { k += 1; m = D(((ulong)(h | 0x3FE00000u) << 32) | lo); }
            f = m - 1.0; // exact; glibc's correction term c is exactly 0 here
            nearOne = h == 0 || h >= 0xFFFFDu;
        }

        // 4.
        double hfsq = (0.5 * f) * f;
        double dk = k;
        // 5. |f| < 2^-20.
        if (nearOne)
        {
            if (f == 0.0) return dk * Ln2Hi + dk * Ln2Lo;
            double rr = hfsq * Math.FusedMultiplyAdd(-TwoThirds, f, 1.0);
            return k == 0 ? f - rr : dk * Ln2Hi - ((rr - dk * Ln2Lo) - f);
        }
        // 6. the rational approximation, with the FMA build's contractions.
        double s = f / (2.0 + f);
        double z = s * s, z2 = z * z, z4 = z2 * z2, z6 = z4 * z2;
        double r2 = Math.FusedMultiplyAdd(z, L3, L2);
        double r3 = Math.FusedMultiplyAdd(z, L5, L4);
        double r4 = Math.FusedMultiplyAdd(z, L7, L6);
        double r = Math.FusedMultiplyAdd(z6, r4, Math.FusedMultiplyAdd(z4, r3, Math.FusedMultiplyAdd(z, L1, z2 * r2)));
        double p = s * (hfsq + r);
        return k == 0 ? f - (hfsq - p) : dk * Ln2Hi - ((hfsq - (p + dk * Ln2Lo)) - f);
    }
}
