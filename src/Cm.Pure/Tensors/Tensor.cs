using System.Numerics;
using System.Runtime.InteropServices;

namespace Cm.Pure.Tensors;

/// <summary>
/// An immutable row-major tensor of IEEE floats (float32 or float64): a shape and its elements.
/// Equality is by shape and bit pattern, so -0 differs from +0 and NaNs compare by their bits.
/// Nothing can mutate the elements after construction: the public constructor copies, and
/// <see cref="Data"/> is read-only.
/// </summary>
public sealed class Tensor<T> : IEquatable<Tensor<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T[] _data;

    private Tensor(Shape shape, T[] data)
    {
        if (shape.Count != data.Length)
            throw new ArgumentException($"shape {shape} holds {shape.Count} elements but {data.Length} were given");
        Shape = shape;
        _data = data;
    }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>The elements in row-major order.</summary>
    public ReadOnlySpan<T> Data => _data;

    /// <summary>Number of elements.</summary>
    public int Count => _data.Length;

    /// <summary>Element <paramref name="i"/> in row-major order.</summary>
    public T this[int i] => _data[i];

    /// <summary>A tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor<T> From(Shape shape, ReadOnlySpan<T> data) => new(shape, data.ToArray());

    /// <summary>Takes ownership of an array nobody else holds (internal: callers must not keep it).</summary>
    internal static Tensor<T> Adopt(Shape shape, T[] data) => new(shape, data);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor<T> Zeros(Shape shape) => new(shape, new T[shape.Count]);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor<T> Full(Shape shape, T value)
    {
        var a = new T[shape.Count];
        a.AsSpan().Fill(value);
        return new Tensor<T>(shape, a);
    }

    /// <summary>
    /// Builds a tensor by letting <paramref name="fill"/> write every element of a fresh, uninitialised
    /// buffer. The buffer is never seen outside this call, so the result stays immutable.
    /// </summary>
    public static Tensor<T> Create<TState>(Shape shape, TState state, SpanAction<T, TState> fill)
    {
        var a = GC.AllocateUninitializedArray<T>(shape.Count);
        fill(a, state);
        return new Tensor<T>(shape, a);
    }

    /// <summary>Writes a span from a state; used by <see cref="Create{TState}"/>.</summary>
    public delegate void SpanAction<TItem, in TState>(Span<TItem> destination, TState state);

    /// <summary>The same elements under another shape with the same count.</summary>
    public Tensor<T> Reshape(Shape shape) => new(shape, _data);

    /// <summary>A copy of the elements.</summary>
    public T[] ToArray() => (T[])_data.Clone();

    /// <inheritdoc/>
    public bool Equals(Tensor<T>? other) =>
        other is not null && Shape.Equals(other.Shape)
        && MemoryMarshal.AsBytes(Data).SequenceEqual(MemoryMarshal.AsBytes(other.Data));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Tensor<T> t && Equals(t);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(Shape);
        h.AddBytes(MemoryMarshal.AsBytes(Data));
        return h.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor<{typeof(T).Name}>{Shape}";
}
