using System.Diagnostics.Contracts;

namespace Cm.Pure.Numerics;

/// <summary>
/// Rounding rules shared by every formula. diffusers evaluates the schedule's scalars in float32 with
/// the config's double constants rounded once first (golden README, "Arithmetic a port must copy").
/// </summary>
public static class F32
{
    /// <summary><c>f(x)</c>: the nearest float32 to a double, ties to even.</summary>
    [Pure]
    public static float Round(double x) => (float)x;

    /// <summary><c>f(c²)</c>: a constant squared in double, then rounded once (not <c>f(c)·f(c)</c>).</summary>
    [Pure]
    public static float SquareRounded(double c) => (float)(c * c);
}
