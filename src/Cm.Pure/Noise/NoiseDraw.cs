using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Noise;

/// <summary>
/// <see cref="INoise.Fill(Shape, Span{float})"/> as a value: a source that cannot give the draw (recorded
/// noise exhausted or of the wrong length, Philox at the end of its counter, a float64 draw from a
/// float32-only source, a destination of the wrong size) becomes a <see cref="NoiseFailed"/> instead of an
/// exception. Every draw the core takes goes through here.
/// </summary>
public static class NoiseDraw
{
    /// <summary>One float32 draw into <paramref name="destination"/>, and the source after it.</summary>
    public static Fin<INoise> TryFill(INoise noise, Shape shape, Span<float> destination)
    {
        if (noise is null) return new MissingArgument(nameof(noise), "NoiseDraw.TryFill");
        try
        {
            return Fin<INoise>.Succ(noise.Fill(shape, destination));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException or OverflowException or IndexOutOfRangeException)
        {
            return new NoiseFailed(Describe(noise), e.Message);
        }
    }

    /// <summary>One float64 draw into <paramref name="destination"/>, and the source after it.</summary>
    public static Fin<INoise> TryFill(INoise noise, Shape shape, Span<double> destination)
    {
        if (noise is null) return new MissingArgument(nameof(noise), "NoiseDraw.TryFill");
        try
        {
            return Fin<INoise>.Succ(noise.Fill(shape, destination));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException or OverflowException or IndexOutOfRangeException)
        {
            return new NoiseFailed(Describe(noise), e.Message);
        }
    }

    private static string Describe(INoise noise)
    {
        try
        {
            return noise.Describe();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or OverflowException)
        {
            return noise.GetType().Name;
        }
    }
}
