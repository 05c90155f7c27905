using Cm.Pure.Traces;
using System.Diagnostics.Contracts;
using System.Globalization;

namespace Cm.Runtime.Text;

/// <summary>
/// Writes a double the way Python's <c>repr</c> does (and so diffusers' <c>json.dumps</c>): the shortest
/// decimal that parses back to the same double, with <c>.0</c> on integral values and an exponent only
/// below 1e-4 or from 1e16 on. Files Cm writes then read back bit for bit in C#, Python and NumPy, and
/// a config written by Cm looks like one written by diffusers.
/// </summary>
public static class ShortestFloat
{
    /// <summary>
    /// The Python <c>repr</c> of <paramref name="x"/>; non-finite values as <c>NaN</c>, <c>Infinity</c>,
    /// <c>-Infinity</c>. Finite values use the one implementation of the layout, <see cref="DecimalText.Repr"/>
    /// (which the trace format shares).
    /// </summary>
    [Pure]
    public static string Format(double x) =>
        double.IsNaN(x) ? "NaN"
        : double.IsPositiveInfinity(x) ? "Infinity"
        : double.IsNegativeInfinity(x) ? "-Infinity"
        : DecimalText.Repr(x);

    /// <summary>A float32 as the shortest repr of its exact double value (the golden files' convention).</summary>
    [Pure]
    public static string Format(float x) => Format((double)x);

    /// <summary>The IEEE bits of a float32, <c>0x%08x</c>.</summary>
    [Pure]
    public static string Bits(float x) => ExactScalar.Bits(x);

    /// <summary>The IEEE bits of a float64, <c>0x%016x</c>.</summary>
    [Pure]
    public static string Bits(double x) => ExactScalar.Bits(x);
}
