using System.Collections.Immutable;

namespace Cm.Pure.Editing;

/// <summary>
/// The replacement step of zero-shot editing (Song et al. 2023, §5 and Algorithm 4 in Appendix D): after the
/// consistency model's estimate x0, keep the part of the image that is known from the reference y and take
/// the rest from x0. With an invertible linear map A and a mask Ω of the coordinates to generate, the paper
/// writes <c>x ← A⁻¹[(A·x0)⊙Ω + (A·y)⊙(1 − Ω)]</c>; every case below is that formula for some A. Each also
/// says how the reference is preprocessed before the loop (<c>y ← A⁻¹[(A·y)⊙(1 − Ω)]</c> in the paper,
/// openai's own choice per task). The functions live in <see cref="Replacements"/>.
/// </summary>
public abstract record Replacement
{
    private Replacement() { }

    /// <summary>
    /// Inpainting (A = I): <c>x = mask⊙y + (1 − mask)⊙x0</c>, computed as the select
    /// <c>where(mask, y, x0)</c>; the processed reference is <c>where(mask, y, −1)</c> (openai fills the
    /// unknown region with −1, never used).
    /// </summary>
    public sealed record Inpaint(EditMask Mask) : Replacement;

    /// <summary>
    /// The general known-subspace form with an orthonormal basis Q (A = Qᵀ): per vector (see
    /// <see cref="Grouping"/>), coordinates y_e = Σ_d v_d·Q[d,e]; keep y_e of the reference where
    /// <see cref="KnownCoordinates"/>[e], of x0 elsewhere; map back out_d = Σ_e m_e·Q[d,e]. Equals
    /// <c>P·y + (I − P)·x0</c> with P = Σ_{e known} q_e·q_eᵀ. The processed reference is the replacement
    /// of (reference, 0), i.e. <c>P·y</c>. Colorization is this with the luminance basis, one pixel's
    /// channels per vector, and coordinate 0 known.
    /// </summary>
    public sealed record Subspace(OrthonormalBasis Basis, ImmutableArray<bool> KnownCoordinates, Grouping Grouping) : Replacement;

    /// <summary>
    /// Super-resolution: <see cref="Subspace"/> over k×k patches of each channel with the patch basis
    /// (column 0 = 𝟙/k) and coordinate 0 known, so each patch's mean comes from the reference and its
    /// zero-mean detail from x0. The processed reference is the patch mean itself (openai's
    /// <c>average_image_patches</c> with <c>torch.mean</c>, not through Q). Images must be square with a
    /// side that is a multiple of k (openai's <c>image_size = x.shape[-1]</c> reshape).
    /// </summary>
    public sealed record PatchMeans(OrthonormalBasis Basis, int Size) : Replacement;

    /// <summary>
    /// The known-subspace form given by an orthogonal projector P onto the known part (n×n, row-major,
    /// symmetric and idempotent): <c>x = P·y + (I − P)·x0 = x0 + P·(y − x0)</c>, per vector of
    /// <see cref="Grouping"/>. The processed reference is <c>P·y</c>. A user's own edit in one matrix.
    /// </summary>
    public sealed record Projector(int N, ImmutableArray<float> P, Grouping Grouping) : Replacement;
}
