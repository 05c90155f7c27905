using System.Diagnostics.Contracts;
using Cm.Pure.Noise.Cephes;

namespace Cm.Pure.Noise.Philox;

/// <summary>
/// Words → float32 standard normals (philox.md §4): Box–Muller with the <b>unfused</b> Cephes
/// <c>logc</c>/<c>sincosc</c>, every operation a separately rounded float32 operation, no libm and no
/// FMA, so every IEEE-754 platform gives the same bits. Lanes (0,1) and (2,3) of a block are pairs.
/// </summary>
public static class PhiloxNormal
{
    private static readonly float TwoPi = BitConverter.UInt32BitsToSingle(0x40C90FDB);

    /// <summary>
    /// <c>BM(wa, wb)</c> of §4: u = closed1(wa) is the radius input, v = open1(wb) the angle input;
    /// returns (r·cos t, r·sin t). For u = 1, r = −0 and the results are ±0, kept as computed.
    /// </summary>
    [Pure]
    public static (float Even, float Odd) BoxMuller(uint wa, uint wb)
    {
        float u = PhiloxUniform.Closed1(wa);
        float v = PhiloxUniform.Open1(wb);
        float r = MathF.Sqrt(-2.0f * CephesF32.Logc(u, fused: false));
        float t = TwoPi * v;
        var (s, c) = CephesF32.SinCosc(t, fused: false);
        return (r * c, r * s);
    }

    /// <summary>The four normals of one block of words (§4).</summary>
    [Pure]
    public static (float Z0, float Z1, float Z2, float Z3) OfBlock(Philox4x32Words w)
    {
        var (z0, z1) = BoxMuller(w.X0, w.X1);
        var (z2, z3) = BoxMuller(w.X2, w.X3);
        return (z0, z1, z2, z3);
    }

    /// <summary>
    /// Writes normals <c>start .. start + destination.Length</c> of stream <paramref name="stream"/>
    /// under <paramref name="seed"/>. Each value depends only on (seed, stream, element index), so any
    /// slice equals the same slice of a longer fill, whatever the order or thread that computes it.
    /// </summary>
    public static void Fill(ulong seed, ulong stream, ulong start, Span<float> destination)
    {
        if (destination.IsEmpty) return;
        if ((ulong)destination.Length - 1 > ulong.MaxValue - start)
            throw new ArgumentOutOfRangeException(nameof(start), start, "element indices of a stream must stay below 2^64");
        Span<float> z = stackalloc float[4];
        ulong element = start;
        int written = 0;
        while (written < destination.Length)
        {
            ulong block = element / 4;
            int lane = (int)(element % 4);
            (z[0], z[1], z[2], z[3]) = OfBlock(Philox4x32.Words(seed, stream, block));
            int take = Math.Min(4 - lane, destination.Length - written);
            z.Slice(lane, take).CopyTo(destination.Slice(written, take));
            written += take;
            element += (ulong)take;
        }
    }
}
