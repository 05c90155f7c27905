using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Editing;

/// <summary>
/// The known region of an inpainting edit, validated once: <c>true</c> where the reference is kept
/// (openai's <c>mask = 1</c>, the paper's <c>1 − Ω</c>), <c>false</c> where the model generates. The shape
/// is either one item <c>[C, H, W]</c> (the same mask for every batch item) or the whole batch
/// <c>[B, C, H, W]</c> (a mask per item, as openai's demo builds).
/// </summary>
public sealed record EditMask
{
    private EditMask(Shape shape, ImmutableArray<bool> known) => (Shape, Known) = (shape, known);

    /// <summary>The mask's shape: one item or the whole batch.</summary>
    public Shape Shape { get; }

    /// <summary>Per element: keep the reference.</summary>
    public ImmutableArray<bool> Known { get; }

    /// <summary>A mask from a float tensor of exact 0s and 1s (anything else, NaN included, is an error).</summary>
    [Pure]
    public static Fin<EditMask> FromTensor(Tensor<float> mask)
    {
        if (mask.Shape.Rank is not (3 or 4))
            return FinFail<EditMask>(new InvalidMask($"shape {mask.Shape}: expected [C, H, W] or [B, C, H, W]"));
        var known = ImmutableArray.CreateBuilder<bool>(mask.Count);
        for (var i = 0; i < mask.Count; i++)
        {
            var v = mask[i];
            if (v == 1f) known.Add(true);
            else if (v == 0f) known.Add(false);
            else return FinFail<EditMask>(new InvalidMask($"element {i} is {v:R}; only 0 and 1 are allowed"));
        }
        return FinSucc(new EditMask(mask.Shape, known.MoveToImmutable()));
    }

    /// <summary>A mask from booleans (true = known) of a [C, H, W] or [B, C, H, W] shape.</summary>
    [Pure]
    public static Fin<EditMask> FromKnown(Shape shape, ReadOnlySpan<bool> known) =>
        shape.Rank is not (3 or 4)
            ? FinFail<EditMask>(new InvalidMask($"shape {shape}: expected [C, H, W] or [B, C, H, W]"))
            : shape.Count != known.Length
                ? FinFail<EditMask>(new InvalidMask($"shape {shape} holds {shape.Count} elements but {known.Length} were given"))
                : FinSucc(new EditMask(shape, [.. known]));

    /// <summary>The same value everywhere: all known (returns the reference) or all unknown (pure generation).</summary>
    [Pure]
    public static EditMask Uniform(Shape itemShape, bool known) =>
        new(itemShape, ImmutableArray.CreateRange(Enumerable.Repeat(known, itemShape.Count)));

    /// <summary>The mask as a float32 tensor of 0s and 1s (for pictures and hashes).</summary>
    [Pure]
    public Tensor<float> ToTensor() =>
        Tensor<float>.Create(Shape, Known, static (dst, k) => { for (var i = 0; i < dst.Length; i++) dst[i] = k[i] ? 1f : 0f; });

    /// <summary>Whether the mask applies to a sample of <paramref name="sample"/>'s shape (equal, or one item of it).</summary>
    [Pure]
    public bool Fits(Shape sample) =>
        Shape.Equals(sample) || (sample.Rank == 4 && Shape.Rank == 3 && Shape.Count == sample.ItemCount
                                 && Shape.Dims.AsSpan().SequenceEqual(sample.Dims.AsSpan()[1..]));
}
