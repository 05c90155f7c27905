using System.Diagnostics.Contracts;
using static Cm.Pure.Schedules.Arithmetic.Avx512Scalar;

namespace Cm.Pure.Schedules.Arithmetic;

/// <summary>
/// float64 <c>np.power</c> as numpy 1.24–1.26 computes it on a CPU with AVX512_SKX: Intel SVML's
/// <c>__svml_pow8</c> ("la", the vendored <c>numpy/SVML</c> <c>svml_z0_pow_d_la.s</c>), reproduced
/// operation by operation in scalar double arithmetic: <see cref="Math.FusedMultiplyAdd"/> wherever the
/// kernel fuses, and its three directed roundings (toward zero, toward −∞) computed exactly.
/// </summary>
/// <remarks>
/// <para><b>log₂ x in extended precision.</b> x = 2^E·m, m ∈ [½, 1). ρ ≈ 1/m rounded to a multiple of 1/32,
/// R = ρ·m − 1 (exact FMA), |R| ≲ 2⁻⁶. log₂ x = E′ + T(ρ) + log₂(1 + R) where E′ = E + 1 and
/// T = −log₂ ρ when ρ &lt; 3/2, else E′ = E and T = 1 − log₂ ρ; T = T_hi + T_lo from two 32-entry tables.
/// log₂(1 + R) = c₁R + c₂R² + R²·(c₃R + … + c₉R⁷) with c₁ = c₁ₕ + c₁ₗ, c₂ = c₂ₕ + c₂ₗ split in two
/// doubles. The sum is carried as High (rounded) + Tll (its tail): E′ + T_hi + c₁ₕR + c₂ₕR², with the
/// rounding error of each step recovered by FMA and collected with T_lo, R·c₁ₗ and the polynomial.</para>
/// <para><b>y·log₂ x.</b> yH = y·High rounded toward zero, its exact error, and y·Tll, summed toward zero.</para>
/// <para><b>2^(y·log₂ x).</b> yH = N + j/16 + Z₀ (N integer, j ∈ 0..15, 0 ≤ Z₀ &lt; 1/16, found by adding a
/// shifter rounded toward −∞ and by <c>vreducepd</c>), Z = Z₀ + the low parts, and
/// 2^yH·… = 2^N·(T₂ + T₂·Z·q(Z)) with T₂ = 2^(j/16) from a 16-entry table and q of degree 5 in Z
/// (coefficients ≈ ln2^k/k!); the scaling by 2^N is exact.</para>
/// </remarks>
public static class SvmlPow
{
    private static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    /// <summary>T_hi: −log₂ρ for ρ = 1 + j/32 &lt; 3/2 (j &lt; 16), 1 − log₂ρ for j ≥ 16 (short, trailing zeros).</summary>
    private static readonly double[] THigh =
    [
        D(0x0000000000000000), D(0xBFA6BAD3758E0000), D(0xBFB663F6FAC90000), D(0xBFC08C588CDA8000),
        D(0xBFC5C01A39FC0000), D(0xBFCACF5E2DB50000), D(0xBFCFBC16B9028000), D(0xBFD24407AB0E0000),
        D(0xBFD49A784BCD0000), D(0xBFD6E221CD9D0000), D(0xBFD91BBA891F0000), D(0xBFDB47EBF7388000),
        D(0xBFDD6753E0330000), D(0xBFDF7A8568CB0000), D(0xBFE0C10500D64000), D(0xBFE1BF311E95E000),
        D(0x3FDA8FF971810000), D(0x3FD8A8980ABFC000), D(0x3FD6CB0F6865C000), D(0x3FD4F6FBB2CEC000),
        D(0x3FD32BFEE3710000), D(0x3FD169C053640000), D(0x3FCF5FD8A9060000), D(0x3FCBFC67A8000000),
        D(0x3FC8A8980ABF8000), D(0x3FC563DC29FF8000), D(0x3FC22DADC2AB0000), D(0x3FBE0B1AE8F30000),
        D(0x3FB7D60496D00000), D(0x3FB1BB32A6000000), D(0x3FA77394C9DA0000), D(0x3F9743EE86200000),
    ];

    /// <summary>T_lo: the rest of the same values (T_hi + T_lo ≈ T to about 2⁻⁹⁰).</summary>
    private static readonly double[] TLow =
    [
        D(0x0000000000000000), D(0xBD5FB0E626C0DE13), D(0xBD33167CCC538261), D(0x3D2871A7610E40BD),
        D(0x3D54BC302FFA76FB), D(0x3D436C101EE13440), D(0x3D47F5DC57266758), D(0xBD3CE60916E52E91),
        D(0xBD5B8AFE492BF6FF), D(0xBD49BCAF1AA4168A), D(0xBD5708B4B2B5056C), D(0xBD250520A377C7EC),
        D(0x3D55F101C141E670), D(0xBD3B3B3864C60011), D(0x3D45669DF6A2B592), D(0x3D5FE43895D8AC46),
        D(0x3D44BC302FFA76FB), D(0xBD266CCCAB240E90), D(0x3D41D406DB502403), D(0x3D3661E393A16B95),
        D(0xBD51979A5DB68722), D(0xBD4D4F1B95E0FF45), D(0x3D5F1A4847F7B278), D(0xBD3667F21FA8423F),
        D(0x3D5E9933354DBF17), D(0x3D56590643906F2A), D(0x3D5A4B69691D7994), D(0xBD054CDA62D3926E),
        D(0xBD512CE6312EBB82), D(0x3D552743318A8A57), D(0xBD54E55443478FE0), D(0xBD495539356F93DC),
    ];

    /// <summary>2^(j/16), j = 0..15, rounded to double.</summary>
    private static readonly double[] Exp2Sixteenths =
    [
        D(0x3FF0000000000000), D(0x3FF0B5586CF9890F), D(0x3FF172B83C7D517B), D(0x3FF2387A6E756238),
        D(0x3FF306FE0A31B715), D(0x3FF3DEA64C123422), D(0x3FF4BFDAD5362A27), D(0x3FF5AB07DD485429),
        D(0x3FF6A09E667F3BCD), D(0x3FF7A11473EB0187), D(0x3FF8ACE5422AA0DB), D(0x3FF9C49182A3F090),
        D(0x3FFAE89F995AD3AD), D(0x3FFC199BDD85529C), D(0x3FFD5818DCFBA487), D(0x3FFEA4AFA2A490DA),
    ];

    // log₂(1 + R): c₁ = 1/ln2 and c₂ = −1/(2 ln2) in two parts, c₃ … c₉ ≈ (−1)^(k+1)/(k ln2).
    private static readonly double C1High = D(0x3FF71547652B82FE), C1Low = D(0x3C7777F3EE5E912F),
        C2High = D(0xBFE71547652B82FE), C2Low = D(0x3C636B5DDFFE5B67),
        C3 = D(0x3FDEC709DC3A03FC), C4 = D(0xBFD71547652BC9EA), C5 = D(0x3FD2776C50F03272),
        C6 = D(0xBFCEC709BC8FB8DF), C7 = D(0x3FCA6175FCA19D03), C8 = D(0xBFC717E59A559F5D),
        C9 = D(0x3FC48799F5374B96);

    // 2^Z − 1 ≈ Z·(B₁ + B₂Z + … + B₆Z⁵), B_k ≈ ln2^k / k!.
    private static readonly double B1 = D(0x3FE62E42FEFA398B), B2 = D(0x3FCEBFBDFF84554D),
        B3 = D(0x3FAC6B08D4AD8EB9), B4 = D(0x3F83B2AD1B14EBAA), B5 = D(0x3F55D7472783D279),
        B6 = D(0x3F24A1D7F58C2D59);

    /// <summary>1.5·2⁴⁸ + 1023·16: adding it (toward −∞) leaves 16·N + j + bias in the low bits.</summary>
    private static readonly double Shifter = D(0x42F8000000003FF0);

    /// <summary>Beyond this |y·log₂x| the kernel leaves its main path (overflow, underflow, subnormal results).</summary>
    public const double MainPathLimit = 1021.5;

    /// <summary>
    /// x^y bit for bit as the kernel's main path computes it: x positive and finite (subnormals
    /// included), y finite, |y·log₂ x| ≤ 1021.5; a NaN x is returned quietened, sign kept.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Anything routed to the kernel's rare path (not reproduced).</exception>
    [Pure]
    public static double Pow(double x, double y)
    {
        if (double.IsNaN(x)) return SvmlLog.Quiet(x);
        if (!(x > 0.0) || double.IsInfinity(x) || !double.IsFinite(y))
            throw new ArgumentOutOfRangeException(nameof(x), x, "SvmlPow covers x > 0 finite and y finite only");

        // log₂ x = E′ + T + log₂(1 + R).
        var m = GetMantHalfOne(x);
        var e = GetExp(x);
        var rcp = RoundToFifths(Rcp14(m));
        var r = Math.FusedMultiplyAdd(rcp, m, -1.0);
        var j = (int)(BitConverter.DoubleToUInt64Bits(rcp) >> 47) & 31;
        if (rcp < 1.5) e += 1.0;

        var r2 = r * r;
        var p = Math.FusedMultiplyAdd(C9, r, C8);
        p = Math.FusedMultiplyAdd(r2, p, Math.FusedMultiplyAdd(C7, r, C6));
        p = Math.FusedMultiplyAdd(r2, p, Math.FusedMultiplyAdd(C5, r, C4));
        p = Math.FusedMultiplyAdd(r2, p, Math.FusedMultiplyAdd(C3, r, C2Low)); // c₂ₗ + c₃R + … + c₉R⁷

        var eth = e + THigh[j];
        var r2Err = Math.FusedMultiplyAdd(r, r, -r2);                          // R² − rn(R²), exact
        var tail = Math.FusedMultiplyAdd(C2High, r2Err, TLow[j]);
        tail = Math.FusedMultiplyAdd(p, r2, tail);

        var high1 = Math.FusedMultiplyAdd(C1High, r, eth);                     // E′ + T_hi + c₁ₕR
        var c1rHigh = high1 - eth;
        var c1rLow = Math.FusedMultiplyAdd(r, C1High, -c1rHigh);
        var high2 = Math.FusedMultiplyAdd(C2High, r2, high1);                  // … + c₂ₕR²
        var low = Math.FusedMultiplyAdd(C1Low, r, c1rLow);
        var high = high2 + tail;
        var c2rHigh = high2 - high1;
        var c2rLow = Math.FusedMultiplyAdd(C2High, r2, -c2rHigh);
        var tll = tail - (high - high2);
        low = c2rLow + low;
        low = tll + low;

        // y·log₂ x = yH + yL.
        var yh = MulTowardZero(y, high);
        var yhErr = Math.FusedMultiplyAdd(y, high, -yh);                        // exact, so its rounding mode is moot
        var yl = FmaTowardZero(y, low, yhErr);
        if (!(Math.Abs(yh) <= MainPathLimit))
            throw new ArgumentOutOfRangeException(nameof(y), y, "y·log2(x) is beyond SvmlPow's main path (|y·log2 x| > 1021.5)");

        // 2^(yH + yL) = 2^N · 2^(j/16) · 2^Z.
        var shifted = AddDown(yh, Shifter);
        var z = ReduceSixteenthsDown(yh) + yl;
        z = BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(z) & 0xBFFFFFFFFFFFFFFFUL);
        var sb = BitConverter.DoubleToUInt64Bits(shifted);
        var t2 = Exp2Sixteenths[(int)(sb & 15)];
        var z2 = z * z;
        var zt = z * t2;
        var q = Math.FusedMultiplyAdd(z2, Math.FusedMultiplyAdd(B6, z, B5), Math.FusedMultiplyAdd(B4, z, B3));
        q = Math.FusedMultiplyAdd(z2, q, Math.FusedMultiplyAdd(B2, z, B1));
        var significand = Math.FusedMultiplyAdd(zt, q, t2);
        var scale = BitConverter.UInt64BitsToDouble((sb << 48) & 0x7FF0000000000000UL);
        return significand * scale;
    }
}
