using System.Collections.Immutable;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Noise;

/// <summary>
/// Noise replayed from a recording (a trace, a golden file): draw k returns recording k. For checking a
/// scheduler without a generator, and for replaying runs whose generator Cm does not model.
/// </summary>
public sealed record RecordedNoise(ImmutableArray<float[]> Float32, ImmutableArray<double[]> Float64, int Position)
    : INoise
{
    /// <summary>Replays float32 draws, in order.</summary>
    public static RecordedNoise Of(params float[][] draws) => new([.. draws], [], 0);

    /// <summary>Replays float64 draws, in order.</summary>
    public static RecordedNoise Of64(params double[][] draws) => new([], [.. draws], 0);

    /// <inheritdoc/>
    public Fin<INoise> Fill(Shape shape, Span<float> destination)
    {
        if (Problem(Float32, shape, destination.Length) is { } reason) return new NoiseFailed(Describe(), reason);
        Float32[Position].CopyTo(destination);
        return this with { Position = Position + 1 };
    }

    /// <inheritdoc/>
    public Fin<INoise> Fill(Shape shape, Span<double> destination)
    {
        if (Problem(Float64, shape, destination.Length) is { } reason) return new NoiseFailed(Describe(), reason);
        Float64[Position].CopyTo(destination);
        return this with { Position = Position + 1 };
    }

    // Why draw Position cannot fill a destination of the shape, or null when it can.
    private string? Problem<T>(ImmutableArray<T[]> draws, Shape shape, int length) =>
        Position >= draws.Length
            ? $"recorded noise exhausted: draw {Position} was asked for, but only {draws.Length} {typeof(T).Name} draws were recorded"
            : draws[Position].Length != shape.Count
                ? $"recorded draw {Position} has {draws[Position].Length} values, but a draw of shape {shape} needs {shape.Count}"
                : NoiseChecks.Destination(shape, length);

    /// <inheritdoc/>
    public string Describe() => $"recorded(position={Position})";
}
