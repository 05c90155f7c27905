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

    /// <summary>
    /// Number of elements: the product of the sizes (1 for a scalar, 0 if any size is 0). Construction
    /// guarantees it fits an array (at most <see cref="Array.MaxLength"/>), so it never wraps.
    /// </summary>
    public int Count => (int)ElementCount(Dims.AsSpan());

    /// <summary>Size of dimension <paramref name="i"/>.</summary>
    public int this[int i] => Dims[i];

    /// <summary>
    /// A shape from sizes; throws <see cref="ArgumentOutOfRangeException"/> on a negative size or on more
    /// elements than an array holds. For sizes that come from outside, use <see cref="Create"/>.
    /// </summary>
    public static Shape Of(params ReadOnlySpan<int> dims) =>
        Problem(dims) is { } problem ? throw new ArgumentOutOfRangeException(nameof(dims), problem) : new Shape(ImmutableArray.Create(dims.ToArray()));

    /// <summary>A shape from sizes, or why there is none (a negative size, or more than <see cref="Array.MaxLength"/> elements).</summary>
    public static LanguageExt.Fin<Shape> Create(params ReadOnlySpan<int> dims) =>
        Problem(dims) is { } problem
            ? new Errors.InvalidShape("[" + string.Join(", ", dims.ToArray()) + "]", problem)
            : new Shape(ImmutableArray.Create(dims.ToArray()));

    /// <summary>The product of the sizes, saturated at <see cref="long.MaxValue"/> (never wraps).</summary>
    public static long ElementCount(ReadOnlySpan<int> dims)
    {
        long n = 1;
        foreach (var d in dims)
        {
            if (d <= 0) return d == 0 ? 0 : -1;
            n = n > long.MaxValue / d ? long.MaxValue : n * d;
        }
        return n;
    }

    private static string? Problem(ReadOnlySpan<int> dims)
    {
        foreach (var d in dims)
            if (d < 0) return $"shape sizes must be >= 0, got {d}";
        var n = ElementCount(dims);
        return n > Array.MaxLength ? $"{(n == long.MaxValue ? "more than 9223372036854775807" : n.ToString(System.Globalization.CultureInfo.InvariantCulture))} elements, more than one array holds ({Array.MaxLength})" : null;
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
