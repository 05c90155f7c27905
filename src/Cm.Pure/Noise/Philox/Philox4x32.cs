using System.Diagnostics.Contracts;
using System.Runtime.CompilerServices;

namespace Cm.Pure.Noise.Philox;

/// <summary>Four 32-bit words: a Philox counter or one output block.</summary>
public readonly record struct Philox4x32Words(uint X0, uint X1, uint X2, uint X3)
{
    /// <summary>Word <paramref name="lane"/> (0..3).</summary>
    public uint this[int lane] => lane switch
    {
        0 => X0, 1 => X1, 2 => X2, 3 => X3,
        _ => throw new ArgumentOutOfRangeException(nameof(lane), lane, "a Philox block has lanes 0..3"),
    };
}

/// <summary>
/// The Philox4x32-10 block function (Salmon et al. 2011, Random123; philox.md §1) and the project's
/// (seed, stream, block) → counter/key mapping (philox.md §2). Counter-based: every block is a pure
/// function of its inputs, so blocks can be computed in any order, on any thread, on any platform.
/// </summary>
public static class Philox4x32
{
    /// <summary>The round multipliers and the Weyl key increments of Philox4x32 (philox.md §1); the SIMD kernels use these too.</summary>
    internal const uint M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;

    /// <summary>Rounds of Philox4x32-10.</summary>
    public const int Rounds = 10;

    /// <summary>
    /// Ten rounds on <paramref name="counter"/> with key (<paramref name="k0"/>, <paramref name="k1"/>);
    /// the key is bumped by the Weyl constants between rounds, never before the first (§1).
    /// </summary>
    [Pure, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Philox4x32Words Block(Philox4x32Words counter, uint k0, uint k1)
    {
        uint c0 = counter.X0, c1 = counter.X1, c2 = counter.X2, c3 = counter.X3;
        for (int r = 0; r < Rounds; r++)
        {
            if (r > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n1 = (uint)p1;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            uint n3 = (uint)p0;
            c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        }
        return new Philox4x32Words(c0, c1, c2, c3);
    }

    /// <summary>
    /// Block <paramref name="block"/> of stream <paramref name="stream"/> under <paramref name="seed"/> (§2):
    /// key = (lo32(seed), hi32(seed)), counter = (lo32(block), hi32(block), lo32(stream), hi32(stream)).
    /// Element i of a stream is lane i % 4 of block i / 4.
    /// </summary>
    [Pure, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Philox4x32Words Words(ulong seed, ulong stream, ulong block) =>
        Block(new Philox4x32Words((uint)block, (uint)(block >> 32), (uint)stream, (uint)(stream >> 32)),
              (uint)seed, (uint)(seed >> 32));

    /// <summary>Word <paramref name="element"/> of stream <paramref name="stream"/> (§2).</summary>
    [Pure]
    public static uint Word(ulong seed, ulong stream, ulong element) =>
        Words(seed, stream, element / 4)[(int)(element % 4)];
}
