using Cm.Pure.Editing;
using Cm.Pure.Tensors;
using FsCheck;
using FsCheck.Fluent;

namespace Cm.Tests.Editing;

/// <summary>
/// A replacement, a batch shape it accepts, a reference and a model estimate (both in [−1, 1], as after the
/// clamp), and the orthogonal projector P onto the known part per vector in double (null for a mask).
/// </summary>
public sealed record EditCase(string Kind, Replacement Replacement, Shape Shape, Tensor<float> Reference, Tensor<float> Estimate, double[]? P, Grouping? Grouping)
{
    public override string ToString() => $"{Kind} {Shape}";
}

/// <summary>Generators for the editing properties: every kind of replacement on small random images.</summary>
public static class EditArbitraries
{
    private static Gen<float> Unit =>
        Gen.Frequency((30, Gen.Choose(-1 << 24, 1 << 24).Select(i => i / (float)(1 << 24))), (1, Gen.Elements(0f, -0f, 1f, -1f)));

    private static Gen<Tensor<float>> Images(Shape s) => Gen.ArrayOf(Unit, s.Count).Select(a => Tensor<float>.From(s, a));

    private static Gen<Shape> Batch(Gen<int> side, int channels) =>
        from b in Gen.Choose(1, 3)
        from h in side
        from w in side
        select Shape.Of(b, channels, h, w);

    private static double[] ProjectorOf(OrthonormalBasis q, bool[] known)
    {
        var n = q.N;
        var p = new double[n * n];
        for (var e = 0; e < n; e++)
            if (known[e])
                for (var i = 0; i < n; i++)
                    for (var j = 0; j < n; j++)
                        p[i * n + j] += (double)q[i, e] * q[j, e];
        return p;
    }

    private static Gen<EditCase> Inpaint =>
        from shape in Batch(Gen.Choose(1, 6), 3)
        from perItem in Gen.Elements(true, false)
        let maskShape = perItem ? Shape.Of(shape[1], shape[2], shape[3]) : shape
        from known in Gen.ArrayOf(Gen.Elements(true, false), maskShape.Count)
        from r in Images(shape)
        from x in Images(shape)
        select new EditCase("inpaint", new Replacement.Inpaint(EditMask.FromKnown(maskShape, known).Match(m => m, e => throw new InvalidOperationException(e.Message))),
            shape, r, x, null, null);

    private static Gen<EditCase> Colorize =>
        from shape in Batch(Gen.Choose(1, 6), 3)
        from r in Images(shape)
        from x in Images(shape)
        select new EditCase("colorize", Replacements.Colorization(EditBases.Luminance), shape, r, x,
            ProjectorOf(EditBases.Luminance, [true, false, false]), new Grouping.PixelChannels());

    private static readonly OrthonormalBasis Patch8 = EditingGolden.Ok(EditBases.Patch(8));

    private static Gen<EditCase> SuperRes =>
        from b in Gen.Choose(1, 2)
        from side in Gen.Elements(8, 16)
        let shape = Shape.Of(b, 3, side, side)
        from r in Images(shape)
        from x in Images(shape)
        select new EditCase("superres", Replacements.SuperResolution(Patch8, 8), shape, r, x,
            ProjectorOf(Patch8, [true, .. new bool[63]]), new Grouping.ChannelPatches(8));

    /// <summary>The general form: a random 3×3 basis (Householder completion of a random direction) and random known coordinates.</summary>
    private static Gen<EditCase> Subspace =>
        from shape in Batch(Gen.Choose(1, 5), 3)
        from v in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(i => i / 1000.0), 3).Where(a => a.Sum(x => x * x) > 0.01)
        from known in Gen.ArrayOf(Gen.Elements(true, false), 3)
        from asProjector in Gen.Elements(true, false)
        from r in Images(shape)
        from x in Images(shape)
        let q = EditingGolden.Ok(OrthonormalBasis.FromFirstColumn(v))
        let p = ProjectorOf(q, known)
        select asProjector
            ? new EditCase("projector", EditingGolden.Ok(Replacements.Projector(3, p.Select(d => (float)d).ToArray(), new Grouping.PixelChannels())),
                shape, r, x, p, new Grouping.PixelChannels())
            : new EditCase("subspace", new Replacement.Subspace(q, [.. known], new Grouping.PixelChannels()), shape, r, x, p, new Grouping.PixelChannels());

    public static Gen<EditCase> Cases => Gen.OneOf(Inpaint, Colorize, SuperRes, Subspace);

    public static Arbitrary<EditCase> EditCaseArb() => Cases.ToArbitrary();
}
