using System.Diagnostics.Contracts;
using System.Numerics;

namespace Cm.Pure.Schedules.Arithmetic;

/// <summary>
/// Scalar, host-independent definitions of the AVX-512 instructions Intel's SVML kernels use
/// (Intel SDM vol. 2: VGETMANTPD, VGETEXPPD, VRNDSCALEPD, VREDUCEPD, and the EVEX embedded rounding
/// <c>{rz-sae}</c>/<c>{rd-sae}</c>). Only positive finite operands are defined here: the kernels route
/// everything else elsewhere. Directed roundings are computed exactly (round to nearest, then the sign of
/// the exact residual decides the one-ulp correction), so no MXCSR mode and no intrinsic is involved.
/// </summary>
internal static class Avx512Scalar
{
    private const ulong FractionMask = (1UL << 52) - 1;

    /// <summary>x = M·2^E with M ∈ [1, 2) for a positive finite x (subnormals normalised first).</summary>
    private static (double Mantissa, int Exponent) Split(double x)
    {
        var bits = BitConverter.DoubleToUInt64Bits(x);
        var biased = (int)(bits >> 52) & 0x7FF;
        if (biased == 0)
        {
            var (m, e) = Split(x * 4503599627370496.0); // 2^52
            return (m, e - 52);
        }
        return (BitConverter.UInt64BitsToDouble((bits & FractionMask) | (1023UL << 52)), biased - 1023);
    }

    /// <summary><c>vgetexppd</c>: ⌊log₂ x⌋ as a double.</summary>
    [Pure]
    public static double GetExp(double x) => Split(x).Exponent;

    /// <summary><c>vgetmantpd</c> with interval [1, 2) (imm8 bits 1:0 = 00).</summary>
    [Pure]
    public static double GetMantOneTwo(double x) => Split(x).Mantissa;

    /// <summary><c>vgetmantpd</c> with interval [1/2, 1) (imm8 bits 1:0 = 10).</summary>
    [Pure]
    public static double GetMantHalfOne(double x) => Split(x).Mantissa * 0.5;

    /// <summary>
    /// <c>vrcp14pd</c>, modelled as the correctly rounded 1/x. The hardware answer differs by less than
    /// 2⁻¹⁴ relative; both kernels round it at once to 5 fraction bits (<see cref="RoundToFifths"/>), which
    /// agrees unless 1/x lies within that error of a rounding midpoint (k + ½)/32 (see docs/trace-format.md,
    /// "Schedule arithmetic", for how rarely that changes a result).
    /// </summary>
    [Pure]
    public static double Rcp14(double x) => 1.0 / x;

    /// <summary><c>vrndscalepd</c> imm8 = 0x58: round to a multiple of 2⁻⁵, ties to even.</summary>
    [Pure]
    public static double RoundToFifths(double x) => Math.Round(x * 32.0, MidpointRounding.ToEven) / 32.0;

    /// <summary><c>vreducepd</c> imm8 = 0x41: x − ⌊16x⌋/16, exact.</summary>
    [Pure]
    public static double ReduceSixteenthsDown(double x) => x - Math.Floor(x * 16.0) / 16.0;

    /// <summary><c>vmulpd {rz-sae}</c>: a·b rounded toward zero.</summary>
    [Pure]
    public static double MulTowardZero(double a, double b) => FmaTowardZero(a, b, 0.0);

    /// <summary><c>vfmadd…pd {rz-sae}</c>: a·b + c rounded once, toward zero.</summary>
    [Pure]
    public static double FmaTowardZero(double a, double b, double c)
    {
        var nearest = Math.FusedMultiplyAdd(a, b, c);
        if (!double.IsFinite(nearest) || nearest == 0.0) return nearest;
        var residual = ExactSign(a, b, c, nearest); // sign of a·b + c − nearest
        // Rounded away from zero when the residual points back toward zero.
        return nearest > 0 ? (residual < 0 ? Math.BitDecrement(nearest) : nearest)
                           : (residual > 0 ? Math.BitIncrement(nearest) : nearest);
    }

    /// <summary><c>vaddpd {rd-sae}</c>: a + b rounded toward −∞ (the error of a rounded sum is exact: TwoSum).</summary>
    [Pure]
    public static double AddDown(double a, double b)
    {
        var s = a + b;
        var bb = s - a;
        var err = (a - (s - bb)) + (b - bb);
        return err < 0 ? Math.BitDecrement(s) : s;
    }

    /// <summary>The sign of a·b + c − d, computed exactly with integers (all four finite).</summary>
    private static int ExactSign(double a, double b, double c, double d)
    {
        var (ma, ea) = Integer(a);
        var (mb, eb) = Integer(b);
        var (mc, ec) = Integer(c);
        var (md, ed) = Integer(d);
        var ep = ea + eb;
        var min = Math.Min(ep, Math.Min(ec, ed));
        var sum = ((ma * mb) << (ep - min)) + (mc << (ec - min)) - (md << (ed - min));
        return sum.Sign;
    }

    /// <summary>x = m·2^e with integer m (0 for zero).</summary>
    private static (BigInteger M, int E) Integer(double x)
    {
        if (x == 0.0) return (BigInteger.Zero, 0);
        var bits = BitConverter.DoubleToUInt64Bits(x);
        var biased = (int)(bits >> 52) & 0x7FF;
        var frac = (long)(bits & FractionMask);
        var (m, e) = biased == 0 ? (frac, -1074) : (frac | (1L << 52), biased - 1075);
        return (x < 0 ? -(BigInteger)m : m, e);
    }
}
