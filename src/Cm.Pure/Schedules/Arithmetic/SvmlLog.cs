using System.Diagnostics.Contracts;
using static Cm.Pure.Schedules.Arithmetic.Avx512Scalar;

namespace Cm.Pure.Schedules.Arithmetic;

/// <summary>
/// float64 <c>np.log</c> as numpy 1.23–1.26 computes it on a CPU with AVX512_SKX: Intel SVML's
/// <c>__svml_log8</c> ("la", low accuracy, the vendored <c>numpy/SVML</c> <c>svml_z0_log_d_la.s</c>),
/// reproduced operation by operation in scalar double arithmetic with
/// <see cref="Math.FusedMultiplyAdd"/> wherever the kernel fuses.
/// </summary>
/// <remarks>
/// Algorithm: x = 2^E·M, M ∈ [1, 2). A reciprocal ρ ≈ 1/M rounded to a multiple of 1/32 gives the
/// reduced argument R = ρ·M − 1 (one FMA, exact), |R| ≲ 2⁻⁵. Then
/// ln x = E′·ln 2 + (−ln ρ′) + ln(1 + R), with ρ′ = 2ρ and E′ = E + 1 when ρ &lt; ¾ (so ρ′ ∈ [1, 2)),
/// −ln ρ′ from a 16-entry table indexed by ρ's top four fraction bits, and ln(1 + R) by a degree-9
/// polynomial R + R²·(c₂ + c₃R + … + c₉R⁷) evaluated as two Estrin halves.
/// The last two steps are a rounded add T + P, then one FMA with ln 2.
/// </remarks>
public static class SvmlLog
{
    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    /// <summary>−ln(ρ′) for the 16 reciprocals ρ ∈ {1, 17/32, …, 31/32} (ρ′ = 2ρ below ¾).</summary>
    private static readonly double[] MinusLnRcp =
    [
        D(0x0000000000000000), D(0xBFAF0A30C01162A6), D(0xBFBE27076E2AF2E6), D(0xBFC5FF3070A793D4),
        D(0xBFCC8FF7C79A9A22), D(0xBFD1675CABABA60E), D(0xBFD4618BC21C5EC2), D(0xBFD739D7F6BBD007),
        D(0x3FD269621134DB92), D(0x3FCF991C6CB3B379), D(0x3FCA93ED3C8AD9E3), D(0x3FC5BF406B543DB2),
        D(0x3FC1178E8227E47C), D(0x3FB9335E5D594989), D(0x3FB08598B59E3A07), D(0x3FA0415D89E74444),
    ];

    // ln(1 + R) ≈ R + R²·P(R); P's coefficients c₉ … c₂ (≈ (−1)^(k+1)/k).
    private static readonly double C9 = D(0x3FBC81CD309D7C70), C8 = D(0xBFC007357E93AF62),
        C7 = D(0x3FC249229CEE81EF), C6 = D(0xBFC55553FB28DB06), C5 = D(0x3FC9999999CC9F5C),
        C4 = D(0xBFD00000000C05BD), C3 = D(0x3FD5555555555466), C2 = D(0xBFDFFFFFFFFFFFC6);
    private static readonly double Ln2 = D(0x3FE62E42FEFA39EF);

    /// <summary>
    /// ln x bit for bit as the kernel computes it, for x positive and finite (subnormals included)
    /// and for NaN (returned quietened, sign kept, as the kernel passes it through).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">x ≤ 0 or +∞ (the kernel's rare path, not reproduced).</exception>
    [Pure]
    public static double Log(double x)
    {
        if (double.IsNaN(x)) return Quiet(x);
        if (!(x > 0.0) || double.IsInfinity(x))
            throw new ArgumentOutOfRangeException(nameof(x), x, "SvmlLog covers positive finite arguments (and NaN) only");

        var m = GetMantOneTwo(x);
        var e = GetExp(x);
        var rcp = RoundToFifths(Rcp14(m));
        var r = Math.FusedMultiplyAdd(rcp, m, -1.0);
        if (rcp < 0.75) e += 1.0;

        var q98 = Math.FusedMultiplyAdd(C9, r, C8);
        var q76 = Math.FusedMultiplyAdd(C7, r, C6);
        var q54 = Math.FusedMultiplyAdd(C5, r, C4);
        var q32 = Math.FusedMultiplyAdd(C3, r, C2);
        var r2 = r * r;
        var r4 = r2 * r2;
        var high = Math.FusedMultiplyAdd(r2, q98, q76);
        var low = Math.FusedMultiplyAdd(r2, q54, q32);
        var p = Math.FusedMultiplyAdd(r4, high, low);
        p = Math.FusedMultiplyAdd(r2, p, r);

        var index = (int)(BitConverter.DoubleToUInt64Bits(rcp) >> 48) & 15;
        return Math.FusedMultiplyAdd(Ln2, e, MinusLnRcp[index] + p);
    }

    internal static double Quiet(double nan) =>
        BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(nan) | 0x0008000000000000UL);
}
