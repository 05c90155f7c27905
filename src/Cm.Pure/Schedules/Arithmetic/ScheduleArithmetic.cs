using System.Diagnostics.Contracts;

namespace Cm.Pure.Schedules.Arithmetic;

/// <summary>
/// The two numpy operations the schedule depends on, under a chosen <see cref="ScheduleMath"/>.
/// </summary>
public static class ScheduleArithmetic
{
    /// <summary>
    /// <c>ndarray ** y</c> for a float64 array element x and a Python float y. numpy first tries its
    /// scalar fast paths (<c>fast_scalar_power</c>: y = 1, −1, 0, ½, 2 become copy, reciprocal, ones, sqrt
    /// and square, all correctly rounded); every other y goes to the <c>power</c> ufunc. Under
    /// <see cref="ScheduleMath.Glibc"/> this is <see cref="Math.Pow"/> for every y, as Cm has always done.
    /// </summary>
    [Pure]
    public static double ArrayPower(this ScheduleMath math, double x, double y) => math switch
    {
        ScheduleMath.Glibc => Math.Pow(x, y),
        ScheduleMath.NumpyAvx512 => y switch
        {
            1.0 => x,
            -1.0 => 1.0 / x,
            0.0 => 1.0,
            0.5 => Math.Sqrt(x),
            2.0 => x * x,
            _ => SvmlPow.Pow(x, y),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(math), math, "unknown schedule arithmetic"),
    };

    /// <summary><c>np.log</c> of a float64 array element.</summary>
    [Pure]
    public static double ArrayLog(this ScheduleMath math, double x) => math switch
    {
        ScheduleMath.Glibc => Math.Log(x),
        ScheduleMath.NumpyAvx512 => SvmlLog.Log(x),
        _ => throw new ArgumentOutOfRangeException(nameof(math), math, "unknown schedule arithmetic"),
    };
}
