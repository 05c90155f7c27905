using System.Collections.Immutable;
using Cm.Pure.Editing;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// A <see cref="Editing.Replacement"/> as a trace header names it (key <c>edit.replacement</c>): enough to rebuild the
/// exact replacement, bit for bit. Small matrices (a subspace basis, a projector) are written whole; the mask
/// and openai's patch basis by SHA-256 (the mask's values travel with the reference in a trace with inline
/// tensors; the patch basis is rebuilt by <see cref="EditBases.Patch"/> and its hash compared).
/// </summary>
public abstract record ReplacementIdentity
{
    private ReplacementIdentity() { }

    /// <summary>Inpainting: a mask of <paramref name="Shape"/> ([C, H, W] or [B, C, H, W]) whose float32 0/1 values hash to <paramref name="Hash"/>.</summary>
    public sealed record Mask(Shape Shape, string Hash) : ReplacementIdentity;

    /// <summary>A known subspace: the basis Q (row-major float32), the known coordinates, and k×k patches or (none) per-pixel channels.</summary>
    public sealed record Subspace(Option<int> Patch, ImmutableArray<bool> Known, ImmutableArray<float> Basis) : ReplacementIdentity;

    /// <summary>Super-resolution: k×k patch means with the basis <see cref="EditBases.Patch"/>(k), whose float32 Q hashes to <paramref name="BasisHash"/>.</summary>
    public sealed record PatchMeans(int Patch, string BasisHash) : ReplacementIdentity;

    /// <summary>A projector P (row-major float32) over k×k patches or (none) per-pixel channels.</summary>
    public sealed record Projector(Option<int> Patch, ImmutableArray<float> P) : ReplacementIdentity;

    /// <summary>The identity of a replacement.</summary>
    public static ReplacementIdentity Of(Replacement r) => r switch
    {
        Replacement.Inpaint m => new Mask(m.Mask.Shape, TensorHash.Of(m.Mask.ToTensor().Data)),
        Replacement.Subspace s => new Subspace(PatchOf(s.Grouping), s.KnownCoordinates, s.Basis.Q),
        Replacement.PatchMeans p => new PatchMeans(p.Size, TensorHash.Of(p.Basis.Q.AsSpan())),
        Replacement.Projector p => new Projector(PatchOf(p.Grouping), p.P),
        _ => throw new InvalidOperationException("unknown replacement"),
    };

    /// <summary>
    /// The replacement again; inpainting needs the mask's values (<paramref name="mask"/>, already checked against the
    /// hash), and a patch-means basis must hash as the header says. Every problem names the field.
    /// </summary>
    public Fin<Replacement> Rebuild(Option<float[]> mask) => this switch
    {
        Mask m => mask.Match(
            Some: values => values.Length != m.Shape.Count
                ? FinFail<Replacement>(new InvalidMask($"{values.Length} values for the shape {m.Shape}"))
                : EditMask.FromTensor(Tensor<float>.From(m.Shape, values)).Map(x => (Replacement)new Replacement.Inpaint(x)),
            None: () => FinFail<Replacement>(new InvalidMask("the trace does not carry the mask's values"))),
        Subspace s => Side(s.Basis.Length).Bind(n => OrthonormalBasis.Create(n, s.Basis.AsSpan()))
            .Map(b => (Replacement)new Replacement.Subspace(b, s.Known, GroupingOf(s.Patch))),
        PatchMeans p => EditBases.Patch(p.Patch).Bind(b => TensorHash.Of(b.Q.AsSpan()) == p.BasisHash
            ? FinSucc((Replacement)new Replacement.PatchMeans(b, p.Patch))
            : FinFail<Replacement>(new InvalidBasis($"the {p.Patch}x{p.Patch} patch basis Cm builds hashes to {TensorHash.Of(b.Q.AsSpan())}, not {p.BasisHash}: only openai's basis can be traced as patch_means"))),
        Projector p => Side(p.P.Length).Bind(n => Replacements.Projector(n, p.P.AsSpan(), GroupingOf(p.Patch))),
        _ => FinFail<Replacement>(new InvalidEditInput("unknown replacement")),
    };

    private static Option<int> PatchOf(Grouping g) => g is Grouping.ChannelPatches p ? Some(p.Size) : None;

    private static Grouping GroupingOf(Option<int> patch) =>
        patch.Match(k => (Grouping)new Grouping.ChannelPatches(k), () => new Grouping.PixelChannels());

    private static Fin<int> Side(int entries)
    {
        var n = (int)Math.Round(Math.Sqrt(entries));
        return n >= 1 && n * n == entries ? FinSucc(n) : FinFail<int>(new InvalidBasis($"{entries} entries do not make a square matrix"));
    }
}
