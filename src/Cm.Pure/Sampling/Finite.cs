using System.Numerics;
using System.Runtime.InteropServices;

namespace Cm.Pure.Sampling;

/// <summary>
/// Whether every element of a tensor is finite, in one vectorised pass: v − v is 0 for a finite v and NaN
/// for ±∞ or NaN, and NaN survives every addition, so one accumulator says it for the whole span.
/// </summary>
public static class Finite
{
    /// <summary>True when no element is NaN or infinite.</summary>
    public static bool All(ReadOnlySpan<float> x)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            var vs = MemoryMarshal.Cast<float, Vector<float>>(x);
            foreach (var v in vs) acc += v - v;
            if (!Vector.EqualsAll(acc, Vector<float>.Zero)) return false;
            i = vs.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++)
            if (!float.IsFinite(x[i])) return false;
        return true;
    }

    /// <summary>True when no element is NaN or infinite.</summary>
    public static bool All(ReadOnlySpan<double> x)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var acc = Vector<double>.Zero;
            var vs = MemoryMarshal.Cast<double, Vector<double>>(x);
            foreach (var v in vs) acc += v - v;
            if (!Vector.EqualsAll(acc, Vector<double>.Zero)) return false;
            i = vs.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++)
            if (!double.IsFinite(x[i])) return false;
        return true;
    }

    /// <summary>True when no element is NaN or infinite, for either float dtype.</summary>
    public static bool All<T>(ReadOnlySpan<T> x) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return All(MemoryMarshal.Cast<T, float>(x));
        if (typeof(T) == typeof(double)) return All(MemoryMarshal.Cast<T, double>(x));
        foreach (var v in x)
            if (!T.IsFinite(v)) return false;
        return true;
    }
}
