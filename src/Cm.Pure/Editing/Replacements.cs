using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Editing;

/// <summary>
/// The replacement and the reference preprocessing of every <see cref="Replacement"/> as pure functions on
/// float32 NCHW tensors, with the arithmetic of openai's code on CPU (golden editing README, "bit-exact
/// recipes"): every sum in float32, in index order, starting from +0, each product rounded on its own
/// (never fused); the kept coordinates copied. Copying equals openai's <c>ya·mask + yb·(1 − mask)</c> for
/// finite values, because a float32 sum that starts from +0 is never −0.
/// </summary>
public static class Replacements
{
    /// <summary>Colorization's replacement (Song et al. 2023, §5): keep the luminance coordinate of each pixel.</summary>
    [Pure]
    public static Replacement Colorization(OrthonormalBasis luminance) =>
        new Replacement.Subspace(luminance, [true, .. Enumerable.Repeat(false, luminance.N - 1)], new Grouping.PixelChannels());

    /// <summary>Super-resolution's replacement (Song et al. 2023, §5): keep the mean of each k×k patch.</summary>
    [Pure]
    public static Replacement SuperResolution(OrthonormalBasis patch, int size) => new Replacement.PatchMeans(patch, size);

    /// <summary>A validated projector replacement (see <see cref="Replacement.Projector"/>).</summary>
    [Pure]
    public static Fin<Replacement> Projector(int n, ReadOnlySpan<float> p, Grouping grouping)
    {
        Replacement r = new Replacement.Projector(n, [.. p], grouping);
        return CheckProjector((Replacement.Projector)r).Map(_ => r);
    }

    /// <summary>Whether the replacement can edit samples of <paramref name="shape"/> ([B, C, H, W]); why not otherwise.</summary>
    [Pure]
    public static Fin<Unit> Check(Replacement r, Shape shape)
    {
        if (shape.Rank != 4 || shape.Count == 0)
            return FinFail<Unit>(new InvalidEditInput($"shape {shape}: expected a non-empty [B, C, H, W] batch"));
        int c = shape[1], h = shape[2], w = shape[3];
        return r switch
        {
            Replacement.Inpaint m => m.Mask.Fits(shape)
                ? FinSucc(unit)
                : FinFail<Unit>(new InvalidMask($"its shape {m.Mask.Shape} differs from the image's {shape} (or one item of it, [{c}, {h}, {w}])")),
            Replacement.Subspace s when s.KnownCoordinates.Length != s.Basis.N =>
                FinFail<Unit>(new InvalidBasis($"{s.KnownCoordinates.Length} known-coordinate flags for a basis of dimension {s.Basis.N}")),
            Replacement.Subspace s => CheckGrouping(s.Grouping, s.Basis.N, c, h, w),
            Replacement.PatchMeans p when h != w =>
                FinFail<Unit>(new InvalidEditInput($"super-resolution needs a square image; this one is {w}x{h} (width x height)")),
            Replacement.PatchMeans p => CheckGrouping(new Grouping.ChannelPatches(p.Size), p.Basis.N, c, h, w),
            Replacement.Projector p => CheckProjector(p).Bind(_ => CheckGrouping(p.Grouping, p.N, c, h, w)),
            _ => FinFail<Unit>(new InvalidEditInput("unknown replacement")),
        };
    }

    private static Fin<Unit> CheckGrouping(Grouping g, int n, int c, int h, int w) => g switch
    {
        Grouping.ChannelPatches p when p.Size < 1 => FinFail<Unit>(new InvalidEditInput($"patch size {p.Size}: must be at least 1")),
        Grouping.ChannelPatches p when h % p.Size != 0 || w % p.Size != 0 =>
            FinFail<Unit>(new InvalidEditInput($"image {w}x{h}: both sides must be multiples of the patch size {p.Size}")),
        Grouping.ChannelPatches p when p.Size * p.Size != n =>
            FinFail<Unit>(new InvalidBasis($"a basis of dimension {n} for {p.Size}x{p.Size} patches (needs {p.Size * p.Size})")),
        Grouping.PixelChannels when c != n =>
            FinFail<Unit>(new InvalidEditInput($"the image has {c} channel(s) but the per-pixel basis has dimension {n} (colorization needs RGB, 3 channels)")),
        _ => FinSucc(unit),
    };

    private static Fin<Unit> CheckProjector(Replacement.Projector p)
    {
        var n = p.N;
        if (n < 1 || p.P.Length != n * n) return FinFail<Unit>(new InvalidBasis($"{p.P.Length} projector entries for dimension {n}"));
        var worst = 0.0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                if (!float.IsFinite(p.P[i * n + j])) return FinFail<Unit>(new InvalidBasis("the projector has a non-finite entry"));
                var pp = 0.0;
                for (var k = 0; k < n; k++) pp += (double)p.P[i * n + k] * p.P[k * n + j];
                worst = Math.Max(worst, Math.Max(Math.Abs(p.P[i * n + j] - p.P[j * n + i]), Math.Abs(pp - p.P[i * n + j])));
            }
        return worst <= OrthonormalBasis.Tolerance
            ? FinSucc(unit)
            : FinFail<Unit>(new InvalidBasis($"P is not an orthogonal projector: max |P − Pᵀ|, |P² − P| = {worst:G3} > {OrthonormalBasis.Tolerance:G3}"));
    }

    /// <summary>The processed reference (see each <see cref="Replacement"/> case).</summary>
    [Pure]
    public static Fin<Tensor<float>> Preprocess(Replacement r, Tensor<float> reference) =>
        Check(r, reference.Shape).Map(_ => Tensor<float>.Create(reference.Shape, (r, reference), static (dst, a) =>
            PreprocessInto(a.r, a.reference.Shape, a.reference.Data, dst)));

    /// <summary>The replaced estimate: known part from <paramref name="processed"/>, the rest from <paramref name="estimate"/>.</summary>
    [Pure]
    public static Fin<Tensor<float>> Replace(Replacement r, Tensor<float> processed, Tensor<float> estimate) =>
        !processed.Shape.Equals(estimate.Shape)
            ? FinFail<Tensor<float>>(new ShapeMismatch("editing reference", estimate.Shape.ToString(), processed.Shape.ToString()))
            : Check(r, estimate.Shape).Map(_ => Tensor<float>.Create(estimate.Shape, (r, processed, estimate), static (dst, a) =>
                ReplaceInto(a.r, a.estimate.Shape, a.processed.Data, a.estimate.Data, dst)));

    /// <summary>
    /// <see cref="Preprocess"/> into a caller's buffer (shape already checked with <see cref="Check"/>).
    /// </summary>
    public static void PreprocessInto(Replacement r, Shape shape, ReadOnlySpan<float> reference, Span<float> destination)
    {
        switch (r)
        {
            case Replacement.Inpaint m:
                Select(m.Mask, reference, default, destination, fill: true);
                break;
            case Replacement.PatchMeans p:
                PatchMean(p.Size, shape, reference, destination);
                break;
            default:
                var zeros = new float[reference.Length];
                ReplaceInto(r, shape, reference, zeros, destination);
                break;
        }
    }

    /// <summary>
    /// <see cref="Replace"/> into a caller's buffer (shape already checked with <see cref="Check"/>).
    /// <paramref name="destination"/> may be the estimate's own memory.
    /// </summary>
    public static void ReplaceInto(Replacement r, Shape shape, ReadOnlySpan<float> processed, ReadOnlySpan<float> estimate, Span<float> destination)
    {
        switch (r)
        {
            case Replacement.Inpaint m:
                Select(m.Mask, processed, estimate, destination, fill: false);
                break;
            case Replacement.Subspace s:
                ByBasis(s.Basis, s.KnownCoordinates.AsSpan(), s.Grouping, shape, processed, estimate, destination);
                break;
            case Replacement.PatchMeans p:
                Span<bool> known = stackalloc bool[p.Basis.N];
                known[0] = true;
                ByBasis(p.Basis, known, new Grouping.ChannelPatches(p.Size), shape, processed, estimate, destination);
                break;
            case Replacement.Projector p:
                ByProjector(p, shape, processed, estimate, destination);
                break;
        }
    }

    /// <summary>where(mask, a, b), or where(mask, a, −1) when <paramref name="fill"/>; the mask repeats over the batch when it is one item.</summary>
    private static void Select(EditMask mask, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination, bool fill)
    {
        var known = mask.Known.AsSpan();
        for (var i = 0; i < destination.Length; i++)
            destination[i] = known[i % known.Length] ? a[i] : fill ? -1f : b[i];
    }

    /// <summary>
    /// Per vector v (a of the reference, b of the estimate): y_e = Σ_d v_d·Q[d,e] in float32 from +0 in order
    /// d = 0..n−1; m_e = ya_e if known[e] else yb_e; out_d = Σ_e m_e·Q[d,e] in order e = 0..n−1.
    /// </summary>
    private static void ByBasis(OrthonormalBasis basis, ReadOnlySpan<bool> known, Grouping grouping, Shape shape,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        int c = shape[1], h = shape[2], w = shape[3], item = c * h * w, n = basis.N;
        var index = new int[item];
        grouping.Gather(c, h, w, index);
        var q = basis.Q.AsSpan();
        Span<float> va = stackalloc float[n], vb = stackalloc float[n], m = stackalloc float[n];
        for (var baseIndex = 0; baseIndex < destination.Length; baseIndex += item)
            for (var v = 0; v < item; v += n)
            {
                for (var d = 0; d < n; d++)
                {
                    va[d] = a[baseIndex + index[v + d]];
                    vb[d] = b[baseIndex + index[v + d]];
                }
                for (var e = 0; e < n; e++)
                {
                    var src = known[e] ? va : vb;
                    var s = 0f;
                    for (var d = 0; d < n; d++) s += src[d] * q[d * n + e];
                    m[e] = s;
                }
                for (var d = 0; d < n; d++)
                {
                    var s = 0f;
                    for (var e = 0; e < n; e++) s += m[e] * q[d * n + e];
                    destination[baseIndex + index[v + d]] = s;
                }
            }
    }

    /// <summary>Per vector: out_d = b_d + Σ_e P[d,e]·(a_e − b_e), float32, sums from +0 in index order.</summary>
    private static void ByProjector(Replacement.Projector p, Shape shape, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> destination)
    {
        int c = shape[1], h = shape[2], w = shape[3], item = c * h * w, n = p.N;
        var index = new int[item];
        p.Grouping.Gather(c, h, w, index);
        var pm = p.P.AsSpan();
        Span<float> diff = stackalloc float[n], vb = stackalloc float[n];
        for (var baseIndex = 0; baseIndex < destination.Length; baseIndex += item)
            for (var v = 0; v < item; v += n)
            {
                for (var d = 0; d < n; d++)
                {
                    vb[d] = b[baseIndex + index[v + d]];
                    diff[d] = a[baseIndex + index[v + d]] - vb[d];
                }
                for (var d = 0; d < n; d++)
                {
                    var s = 0f;
                    for (var e = 0; e < n; e++) s += pm[d * n + e] * diff[e];
                    destination[baseIndex + index[v + d]] = vb[d] + s;
                }
            }
    }

    /// <summary>
    /// Every pixel becomes the mean of its k×k patch in its channel (openai's <c>average_image_patches</c>).
    /// For k = 8 the sum follows PyTorch's float32 AVX2 reduction of 64 contiguous values: 8 lanes
    /// L_j = (((p_j + p_{32+j}) + (p_{8+j} + p_{40+j})) + (p_{16+j} + p_{48+j})) + (p_{24+j} + p_{56+j}),
    /// then ((0 + L_0) + L_1) + … + L_7, divided by 64 (exact). Other k: a float32 sum in index order.
    /// </summary>
    public static void PatchMean(int k, Shape shape, ReadOnlySpan<float> source, Span<float> destination)
    {
        int c = shape[1], h = shape[2], w = shape[3], item = c * h * w, n = k * k;
        var index = new int[item];
        new Grouping.ChannelPatches(k).Gather(c, h, w, index);
        Span<float> p = stackalloc float[n];
        for (var baseIndex = 0; baseIndex < destination.Length; baseIndex += item)
            for (var v = 0; v < item; v += n)
            {
                for (var d = 0; d < n; d++) p[d] = source[baseIndex + index[v + d]];
                var mean = (k == 8 ? TorchAvx2Sum64(p) : SequentialSum(p)) / n;
                for (var d = 0; d < n; d++) destination[baseIndex + index[v + d]] = mean;
            }
    }

    /// <summary>PyTorch's float32 AVX2 sum of 64 contiguous values (see <see cref="PatchMean"/>).</summary>
    internal static float TorchAvx2Sum64(ReadOnlySpan<float> p)
    {
        var sum = 0f;
        for (var j = 0; j < 8; j++)
        {
            var lane = (((p[j] + p[32 + j]) + (p[8 + j] + p[40 + j])) + (p[16 + j] + p[48 + j])) + (p[24 + j] + p[56 + j]);
            sum += lane;
        }
        return sum;
    }

    private static float SequentialSum(ReadOnlySpan<float> p)
    {
        var s = 0f;
        foreach (var x in p) s += x;
        return s;
    }
}
