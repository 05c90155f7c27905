using System.Collections.Immutable;
using Cm.Pure.Tensors;

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
    public INoise Fill(Shape shape, Span<float> destination)
    {
        var draw = Next(Float32, shape);
        draw.CopyTo(destination);
        return this with { Position = Position + 1 };
    }

    /// <inheritdoc/>
    public INoise Fill(Shape shape, Span<double> destination)
    {
        var draw = Next(Float64, shape);
        draw.CopyTo(destination);
        return this with { Position = Position + 1 };
    }

    private T[] Next<T>(ImmutableArray<T[]> draws, Shape shape)
    {
        if (Position >= draws.Length)
            throw new InvalidOperationException(
                $"recorded noise exhausted: draw {Position} was asked for, but only {draws.Length} {typeof(T).Name} draws were recorded");
        var d = draws[Position];
        if (d.Length != shape.Count)
            throw new InvalidOperationException($"recorded draw {Position} has {d.Length} values, but a draw of shape {shape} needs {shape.Count}");
        return d;
    }

    /// <inheritdoc/>
    public string Describe() => $"recorded(position={Position})";
}
