namespace Cm.Pure.Noise;

/// <summary>The check every noise source makes before a draw, worded once.</summary>
internal static class NoiseChecks
{
    /// <summary>Why a destination of <paramref name="length"/> elements cannot take a draw of <paramref name="shape"/>, or null.</summary>
    public static string? Destination(Tensors.Shape shape, int length) =>
        length == shape.Count ? null : $"shape {shape} holds {shape.Count} elements but the destination has {length}";
}
