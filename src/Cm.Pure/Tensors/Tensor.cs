using System.Numerics;
using System.Runtime.InteropServices;

namespace Cm.Pure.Tensors;

/// <summary>
/// An immutable row-major tensor of IEEE floats (float32 or float64): a shape and its elements.
/// Equality is by shape and bit pattern, so -0 differs from +0 and NaNs compare by their bits.
/// Nothing can mutate the elements after construction: the public constructor copies, and
/// <see cref="Data"/> is read-only. A step's result may live in a pooled buffer; its owner can
/// <see cref="Release"/> it, after which it can no longer be read (an error, never changed values).
/// </summary>
public sealed class Tensor<T> : IEquatable<Tensor<T>>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T[]? _data;
    private readonly BufferLease<T>? _lease;

    private Tensor(Shape shape, T[] data)
    {
        if (shape.Count != data.Length)
            throw new ArgumentException($"shape {shape} holds {shape.Count} elements but {data.Length} were given");
        Shape = shape;
        _data = data;
    }

    private Tensor(Shape shape, BufferLease<T> lease)
    {
        Shape = shape;
        _lease = lease;
    }

    /// <summary>The elements: the owned array, or the pooled one while its lease lasts (else this throws).</summary>
    private T[] Elements => _data ?? _lease!.Array;

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>The elements in row-major order.</summary>
    public ReadOnlySpan<T> Data => Elements;

    /// <summary>Number of elements.</summary>
    public int Count => Shape.Count;

    /// <summary>Element <paramref name="i"/> in row-major order.</summary>
    public T this[int i] => Elements[i];

    /// <summary>Whether this tensor's pooled buffer was handed back (reading it then throws).</summary>
    public bool IsReleased => _data is null && _lease!.IsReleased;

    /// <summary>
    /// Hands a step result's pooled buffer back so that a later step of the same size reuses warm memory
    /// instead of faulting in fresh pages. Every read through this tensor and its reshapes then throws
    /// <see cref="ObjectDisposedException"/>; nothing else changes (a span read from <see cref="Data"/>
    /// before must not be used after). Does nothing for tensors that own their array (all but step results).
    /// </summary>
    public void Release() => _lease?.Release();

    /// <summary>A tensor holding a copy of <paramref name="data"/>.</summary>
    public static Tensor<T> From(Shape shape, ReadOnlySpan<T> data) => new(shape, data.ToArray());

    /// <summary>Takes ownership of an array nobody else holds (internal: callers must not keep it).</summary>
    internal static Tensor<T> Adopt(Shape shape, T[] data) => new(shape, data);

    /// <summary>
    /// A tensor holding a copy of <paramref name="data"/> in a pooled buffer (warm memory when one was released
    /// before), for values that live briefly: its creator calls <see cref="Release"/> when nobody reads it any more.
    /// </summary>
    public static Tensor<T> Pooled(Shape shape, ReadOnlySpan<T> data)
    {
        if (shape.Count != data.Length)
            throw new ArgumentException($"shape {shape} holds {shape.Count} elements but {data.Length} were given");
        var a = BufferPool<T>.Rent(data.Length);
        data.CopyTo(a);
        return Leased(shape, a);
    }

    /// <summary>
    /// Readies <paramref name="count"/> pooled buffers for tensors of <paramref name="shape"/> (mapped, each page
    /// written once) so that the next <see cref="Pooled"/> copies of that size do not fault fresh pages. No tensor
    /// changes; only the pool's spare memory. Call it from an idle thread ahead of a loop.
    /// </summary>
    public static void WarmPool(Shape shape, int count) => BufferPool<T>.Warm(shape.Count, count);

    /// <summary>A tensor on an array rented from <see cref="BufferPool{T}"/>; <see cref="Release"/> returns it.</summary>
    internal static Tensor<T> Leased(Shape shape, T[] pooled)
    {
        if (shape.Count != pooled.Length)
            throw new ArgumentException($"shape {shape} holds {shape.Count} elements but {pooled.Length} were given");
        return new Tensor<T>(shape, new BufferLease<T>(pooled));
    }

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
    public Tensor<T> Reshape(Shape shape)
    {
        if (shape.Count != Shape.Count)
            throw new ArgumentException($"shape {shape} holds {shape.Count} elements but {Shape.Count} were given");
        return _data is not null ? new(shape, _data) : new(shape, _lease!);
    }

    /// <summary>A copy of the elements.</summary>
    public T[] ToArray() => (T[])Elements.Clone();

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
