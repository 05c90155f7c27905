using System.Collections.Immutable;

namespace Cm.Pure.Tensors;

/// <summary>
/// The dimensions of a row-major tensor. Value equality; the empty shape is a 0-dimensional scalar
/// with one element, as in PyTorch.
/// </summary>
public readonly record struct Shape
{
    private readonly ImmutableArray<int> _dims;

    private Shape(ImmutableArray<int> dims) => _dims = dims;

    /// <summary>The sizes, outermost first.</summary>
    public ImmutableArray<int> Dims => _dims.IsDefault ? ImmutableArray<int>.Empty : _dims;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Dims.Length;

    /// <summary>Number of elements: the product of the sizes (1 for a scalar, 0 if any size is 0).</summary>
    public int Count
    {
        get
        {
            long n = 1;
            foreach (var d in Dims) n *= d;
            return checked((int)n);
        }
    }

    /// <summary>Size of dimension <paramref name="i"/>.</summary>
    public int this[int i] => Dims[i];

    /// <summary>A shape from sizes; throws <see cref="ArgumentOutOfRangeException"/> on a negative size.</summary>
    public static Shape Of(params ReadOnlySpan<int> dims)
    {
        foreach (var d in dims)
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(dims), $"shape sizes must be >= 0, got {d}");
        return new Shape(ImmutableArray.Create(dims.ToArray()));
    }

    /// <summary>The scalar shape <c>()</c>.</summary>
    public static Shape Scalar => new(ImmutableArray<int>.Empty);

    /// <summary>Elements per item of the leading (batch) dimension; the whole count for a scalar.</summary>
    public int ItemCount => Rank == 0 || Dims[0] == 0 ? Count : Count / Dims[0];

    /// <summary>Size of the leading (batch) dimension; 1 for a scalar.</summary>
    public int Batch => Rank == 0 ? 1 : Dims[0];

    /// <inheritdoc/>
    public bool Equals(Shape other) => Dims.AsSpan().SequenceEqual(other.Dims.AsSpan());

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in Dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => "[" + string.Join(", ", Dims) + "]";
}
