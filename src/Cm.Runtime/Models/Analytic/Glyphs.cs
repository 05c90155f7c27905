using TorchSharp;

namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// The ten digit glyphs 0–9 that centre the <c>glyphs</c> mixture: 16×16, one channel, values in [−1, 1]
/// (background −1, strokes up to +1), drawn here in code as an anti-aliased seven-segment display.
/// </summary>
/// <remarks>
/// <para><b>Drawing</b> (version <see cref="Version"/>). Pixel (row y, column x) has its centre at
/// (x + ½, y + ½). The seven segments are capsules (line segments thickened by radius r = 1.25) between the
/// points left = 4.5, right = 11.5 (x) and top = 2.5, middle = 8, bottom = 13.5 (y): a top, b upper right,
/// c lower right, d bottom, e lower left, f upper left, g middle. A pixel whose centre lies at distance d
/// from the nearest lit segment gets coverage c = clamp(r + ½ − d, 0, 1) (a one-pixel linear ramp), and the
/// value 2c − 1. The digits light the usual segments: 0 abcdef, 1 bc, 2 abdeg, 3 abcdg, 4 bcfg, 5 acdfg,
/// 6 acdefg, 7 abc, 8 abcdefg, 9 abcdfg.</para>
/// <para>The closest pair of glyphs differs by one segment (e.g. 8 and 0 by g); the smallest pairwise
/// Euclidean distance is reported by <see cref="MinPairwiseDistance"/> (about 5).</para>
/// </remarks>
public static class Glyphs
{
    /// <summary>Number of glyphs K.</summary>
    public const int Count = 10;

    /// <summary>Height and width in pixels.</summary>
    public const int Size = 16;

    /// <summary>Channels.</summary>
    public const int Channels = 1;

    /// <summary>Version of the drawing, part of model identities.</summary>
    public const string Version = "seven-segment-v1";

    /// <summary>Stroke radius in pixels.</summary>
    public const double StrokeRadius = 1.25;

    private const double Left = 4.5, Right = 11.5, Top = 2.5, Middle = 8.0, Bottom = 13.5;

    private static readonly (double X0, double Y0, double X1, double Y1)[] Segments =
    [
        (Left, Top, Right, Top),          // a
        (Right, Top, Right, Middle),      // b
        (Right, Middle, Right, Bottom),   // c
        (Left, Bottom, Right, Bottom),    // d
        (Left, Middle, Left, Bottom),     // e
        (Left, Top, Left, Middle),        // f
        (Left, Middle, Right, Middle),    // g
    ];

    private static readonly string[] Lit = ["abcdef", "bc", "abdeg", "abcdg", "bcfg", "acdfg", "acdefg", "abc", "abcdefg", "abcdfg"];

    private static readonly float[] Pixels = Draw();

    /// <summary>The per-sample shape <c>[1, 16, 16]</c>.</summary>
    public static long[] SampleShape => [Channels, Size, Size];

    /// <summary>Pixels of glyph <paramref name="digit"/> (row-major, 16·16 values in [−1, 1]).</summary>
    public static float[] Image(int digit)
    {
        if (digit is < 0 or >= Count) throw new ArgumentOutOfRangeException(nameof(digit), digit, "a digit is 0..9");
        return Pixels.AsSpan(digit * Size * Size, Size * Size).ToArray();
    }

    /// <summary>All glyphs as a new float32 tensor <c>[10, 1, 16, 16]</c> on <paramref name="device"/> (CPU when null); the caller disposes it.</summary>
    public static torch.Tensor Images(torch.Device? device = null) =>
        torch.tensor(Pixels, new long[] { Count, Channels, Size, Size }, dtype: torch.float32, device: device ?? torch.CPU);

    /// <summary>All glyphs as float64 <c>[10, 256]</c> on <paramref name="device"/>.</summary>
    public static torch.Tensor Centres64(torch.Device device) =>
        torch.tensor(Pixels.Select(v => (double)v).ToArray(), new long[] { Count, Channels * Size * Size }, dtype: torch.float64, device: device);

    /// <summary>
    /// For each sample of <paramref name="samples"/> (<c>[N, 1, 16, 16]</c>, any float dtype and device): the index
    /// of the nearest glyph (int64 <c>[N]</c>) and the Euclidean distance to it (float64 <c>[N]</c>), on the
    /// samples' device.
    /// </summary>
    public static (torch.Tensor Index, torch.Tensor Distance) Nearest(torch.Tensor samples)
    {
        using var d = Distances(samples);
        var (min, arg) = d.min(1);
        return (arg, min);
    }

    /// <summary>Distance from each sample to its nearest glyph, float64 <c>[N]</c>.</summary>
    public static torch.Tensor NearestDistance(torch.Tensor samples)
    {
        var (index, distance) = Nearest(samples);
        index.Dispose();
        return distance;
    }

    /// <summary>All Euclidean distances sample → glyph, float64 <c>[N, 10]</c>, computed from differences in float64.</summary>
    public static torch.Tensor Distances(torch.Tensor samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.dim() != 4 || !samples.shape.Skip(1).SequenceEqual(SampleShape))
            throw new ArgumentException($"glyph samples have shape [N, 1, 16, 16], got [{string.Join(", ", samples.shape)}]", nameof(samples));
        using var scope = torch.NewDisposeScope();
        var x = samples.to(torch.float64).reshape(samples.shape[0], 1, -1);
        var c = Centres64(samples.device).unsqueeze(0);
        return x.sub(c).square().sum(2).sqrt().MoveToOuterDisposeScope();
    }

    /// <summary>The smallest Euclidean distance between two different glyphs.</summary>
    public static double MinPairwiseDistance()
    {
        var best = double.PositiveInfinity;
        for (var i = 0; i < Count; i++)
            for (var j = i + 1; j < Count; j++)
            {
                double s = 0;
                for (var p = 0; p < Size * Size; p++)
                {
                    double d = Pixels[i * Size * Size + p] - Pixels[j * Size * Size + p];
                    s += d * d;
                }
                best = Math.Min(best, Math.Sqrt(s));
            }
        return best;
    }

    private static float[] Draw()
    {
        var pixels = new float[Count * Size * Size];
        for (var digit = 0; digit < Count; digit++)
            for (var y = 0; y < Size; y++)
                for (var x = 0; x < Size; x++)
                {
                    double px = x + 0.5, py = y + 0.5, coverage = 0;
                    foreach (var name in Lit[digit])
                    {
                        var (x0, y0, x1, y1) = Segments[name - 'a'];
                        var d = SegmentDistance(px, py, x0, y0, x1, y1);
                        coverage = Math.Max(coverage, Math.Clamp(StrokeRadius + 0.5 - d, 0, 1));
                    }
                    pixels[(digit * Size + y) * Size + x] = (float)(2 * coverage - 1);
                }
        return pixels;
    }

    private static double SegmentDistance(double px, double py, double x0, double y0, double x1, double y1)
    {
        double dx = x1 - x0, dy = y1 - y0;
        var t = Math.Clamp(((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy), 0, 1);
        double ex = px - (x0 + t * dx), ey = py - (y0 + t * dy);
        return Math.Sqrt(ex * ex + ey * ey);
    }
}
