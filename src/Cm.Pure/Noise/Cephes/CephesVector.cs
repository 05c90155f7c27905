using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cm.Pure.Noise.Cephes;

/// <summary>How a vector kernel forms <c>fma32(a, b, c)</c> of torch-cpu-randn.md §6.2: fused or rounded twice.</summary>
internal interface IFmaMode
{
    /// <summary>a·b + c, fused (one rounding) or unfused (the product rounded first).</summary>
    static abstract Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c);
}

/// <summary>The fused form: one rounding (<see cref="Vector256.FusedMultiplyAdd(Vector256{float}, Vector256{float}, Vector256{float})"/>).</summary>
internal readonly struct Fused : IFmaMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.FusedMultiplyAdd(a, b, c);
}

/// <summary>The unfused form: the product is rounded, then the sum (philox.md §4, §6.2 "Unfused variant").</summary>
internal readonly struct Unfused : IFmaMode
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => a * b + c;
}

/// <summary>
/// <see cref="CephesF32.Logc"/> and <see cref="CephesF32.SinCosc"/> on 8 lanes at once: the same float32
/// operations in the same order, so each lane has the bits of the scalar function. The branch of
/// <c>logc</c> step 2 and the selection of <c>sincosc</c> step 7 become compare-and-select; every fused
/// product of the scalar form is a fused vector product here and nothing else is fused.
/// </summary>
internal static class CephesVector
{
    private static Vector256<float> F(uint bits) => Vector256.Create(bits).AsSingle();

    /// <summary>logc per lane, for lanes in [2^-24, 1] (the only inputs the kernels give it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Logc<TFma>(Vector256<float> x) where TFma : struct, IFmaMode
    {
        var one = F(0x3F800000);
        var bits = x.AsUInt32();
        var e = Vector256.ConvertToSingle((bits >> 23).AsInt32() - Vector256.Create(127)) + one;
        var m = ((bits & Vector256.Create(0x807FFFFFu)) | Vector256.Create(0x3F000000u)).AsSingle();
        var small = Vector256.LessThan(m, F(0x3F3504F3));
        e = Vector256.ConditionalSelect(small, e - one, e);
        var t = Vector256.ConditionalSelect(small, (m - one) + m, m - one);
        var z = t * t;
        var y = TFma.MulAdd(F(0x3D9021BB), t, F(0xBDEBD1B8));
        y = TFma.MulAdd(y, t, F(0x3DEF251A));
        y = TFma.MulAdd(y, t, F(0xBDFE5D4F));
        y = TFma.MulAdd(y, t, F(0x3E11E9BF));
        y = TFma.MulAdd(y, t, F(0xBE2AAE50));
        y = TFma.MulAdd(y, t, F(0x3E4CCEAC));
        y = TFma.MulAdd(y, t, F(0xBE7FFFFC));
        y = TFma.MulAdd(y, t, F(0x3EAAAAAA));
        y *= t;
        y = TFma.MulAdd(y, z, e * F(0xB95E8083));
        y -= z * F(0x3F000000);
        return (t + y) + e * F(0x3F318000);
    }

    /// <summary>sincosc per lane, for lanes in [0, 2π) (the only inputs the kernels give it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<float> Sin, Vector256<float> Cos) SinCosc<TFma>(Vector256<float> x) where TFma : struct, IFmaMode
    {
        var y = x * F(0x3FA2F983);
        var q = Vector256.ConvertToInt32(y); // truncation toward zero; y in [0, 8) here
        q = (q + Vector256<int>.One) & Vector256.Create(~1);
        var yq = Vector256.ConvertToSingle(q);
        var four = Vector256.Create(4);
        var sinSign = ((q & four) << 29).AsSingle();
        var cosSign = ((~(q - Vector256.Create(2)) & four) << 29).AsSingle();
        var sel = Vector256.Equals(q & Vector256.Create(2), Vector256<int>.Zero).AsSingle();
        var xr = TFma.MulAdd(yq, F(0xB3222169), TFma.MulAdd(yq, F(0xB97DA000), TFma.MulAdd(yq, F(0xBF490000), x)));
        var z = xr * xr;
        var half = F(0x3F000000);
        var signBit = F(0x80000000);
        var c = TFma.MulAdd(F(0x37CCF5CE), z, F(0xBAB6061A));
        c = TFma.MulAdd(c, z, F(0x3D2AAAA5));
        c *= z;
        c = TFma.MulAdd(c, z, (z * half) ^ signBit); // −(z·HALF): a sign flip, never 0 − x
        c += F(0x3F800000);
        var s = TFma.MulAdd(F(0xB94CA1F9), z, F(0x3C08839E));
        s = TFma.MulAdd(s, z, F(0xBE2AAAA3));
        s *= z;
        s = TFma.MulAdd(s, xr, xr);
        var sn = Vector256.ConditionalSelect(sel, s, c);
        var cs = Vector256.ConditionalSelect(sel, c, s);
        return (sn ^ sinSign, cs ^ cosSign);
    }
    private static Vector512<float> F512(uint bits) => Vector512.Create(bits).AsSingle();

    /// <summary>
    /// <see cref="Logc{TFma}"/> with <see cref="Unfused"/> on 16 lanes (AVX-512): the same float32
    /// operations in the same order, every product rounded before its sum, never a fused product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LogcUnfused(Vector512<float> x)
    {
        var one = F512(0x3F800000);
        var bits = x.AsUInt32();
        var e = Vector512.ConvertToSingle((bits >> 23).AsInt32() - Vector512.Create(127)) + one;
        var m = ((bits & Vector512.Create(0x807FFFFFu)) | Vector512.Create(0x3F000000u)).AsSingle();
        var small = Vector512.LessThan(m, F512(0x3F3504F3));
        e = Vector512.ConditionalSelect(small, e - one, e);
        var t = Vector512.ConditionalSelect(small, (m - one) + m, m - one);
        var z = t * t;
        var y = F512(0x3D9021BB) * t + F512(0xBDEBD1B8);
        y = y * t + F512(0x3DEF251A);
        y = y * t + F512(0xBDFE5D4F);
        y = y * t + F512(0x3E11E9BF);
        y = y * t + F512(0xBE2AAE50);
        y = y * t + F512(0x3E4CCEAC);
        y = y * t + F512(0xBE7FFFFC);
        y = y * t + F512(0x3EAAAAAA);
        y *= t;
        y = y * z + e * F512(0xB95E8083);
        y -= z * F512(0x3F000000);
        return (t + y) + e * F512(0x3F318000);
    }

    /// <summary><see cref="SinCosc{TFma}"/> with <see cref="Unfused"/> on 16 lanes (AVX-512), lanes in [0, 2π).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector512<float> Sin, Vector512<float> Cos) SinCoscUnfused(Vector512<float> x)
    {
        var y = x * F512(0x3FA2F983);
        var q = Vector512.ConvertToInt32(y); // truncation toward zero; y in [0, 8) here
        q = (q + Vector512<int>.One) & Vector512.Create(~1);
        var yq = Vector512.ConvertToSingle(q);
        var four = Vector512.Create(4);
        var sinSign = ((q & four) << 29).AsSingle();
        var cosSign = ((~(q - Vector512.Create(2)) & four) << 29).AsSingle();
        var sel = Vector512.Equals(q & Vector512.Create(2), Vector512<int>.Zero).AsSingle();
        var xr = yq * F512(0xB3222169) + (yq * F512(0xB97DA000) + (yq * F512(0xBF490000) + x));
        var z = xr * xr;
        var half = F512(0x3F000000);
        var signBit = F512(0x80000000);
        var c = F512(0x37CCF5CE) * z + F512(0xBAB6061A);
        c = c * z + F512(0x3D2AAAA5);
        c *= z;
        c = c * z + ((z * half) ^ signBit); // −(z·HALF): a sign flip, never 0 − x
        c += F512(0x3F800000);
        var s = F512(0xB94CA1F9) * z + F512(0x3C08839E);
        s = s * z + F512(0xBE2AAAA3);
        s *= z;
        s = s * xr + xr;
        var sn = Vector512.ConditionalSelect(sel, s, c);
        var cs = Vector512.ConditionalSelect(sel, c, s);
        return (sn ^ sinSign, cs ^ cosSign);
    }
}
