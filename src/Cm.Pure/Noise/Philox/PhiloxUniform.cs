using System.Diagnostics.Contracts;

namespace Cm.Pure.Noise.Philox;

/// <summary>Words → float32 uniforms (philox.md §3): the top 24 bits, exact, no rounding anywhere.</summary>
public static class PhiloxUniform
{
    private const float TwoPowMinus24 = 1.0f / 16777216.0f;

    /// <summary><c>((w &gt;&gt; 8) + 1) · 2^-24</c> in (0, 1], never 0: the radius input.</summary>
    [Pure]
    public static float Closed1(uint w) => ((w >> 8) + 1) * TwoPowMinus24;

    /// <summary><c>(w &gt;&gt; 8) · 2^-24</c> in [0, 1), never 1: the angle input.</summary>
    [Pure]
    public static float Open1(uint w) => (w >> 8) * TwoPowMinus24;
}
