using System.Diagnostics.Contracts;
using System.Runtime.CompilerServices;

namespace Cm.Pure.Noise.Torch;

/// <summary>
/// The MT19937 engine of torch-cpu-randn.md §2 as a cursor over a caller-owned 624-word state.
/// It is a <c>ref struct</c> so that it can only live on the stack of one draw: a
/// <see cref="TorchGenerator"/> copies its state into a fresh buffer, runs the cursor over it and
/// wraps the result in a new generator, so the mutation is never visible outside the draw.
/// </summary>
public ref struct Mt19937
{
    /// <summary>Number of state words (N).</summary>
    public const int N = 624;
    private const int M = 397;
    private const uint Matrix = 0x9908B0DFu, Upper = 0x80000000u, Lower = 0x7FFFFFFFu;

    private readonly Span<uint> _mt;

    /// <summary>Words left before the next twist (PyTorch's <c>left</c>).</summary>
    public int Left;

    /// <summary>Index of the next state word to temper (PyTorch's <c>next</c>).</summary>
    public int Next;

    /// <summary>A cursor over <paramref name="state"/> (exactly 624 words) at the given counters.</summary>
    public Mt19937(Span<uint> state, int left, int next)
    {
        if (state.Length != N) throw new ArgumentException($"MT19937 state has {N} words, got {state.Length}", nameof(state));
        _mt = state;
        Left = left;
        Next = next;
    }

    /// <summary><c>init_genrand</c> of the low 32 bits (§2): fills <paramref name="state"/>.</summary>
    public static void Seed(uint seed, Span<uint> state)
    {
        state[0] = seed;
        for (int i = 1; i < N; i++)
            state[i] = 1812433253u * (state[i - 1] ^ (state[i - 1] >> 30)) + (uint)i;
    }

    /// <summary>The standard MT19937 twist: regenerates all 624 words in place.</summary>
    public static void Twist(Span<uint> mt)
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (mt[i] & Upper) | (mt[(i + 1) % N] & Lower);
            mt[i] = mt[(i + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? Matrix : 0u);
        }
    }

    /// <summary>The MT19937 tempering of one state word (§2 step 3).</summary>
    [Pure, MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Temper(uint y)
    {
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>One 32-bit output (§2): decrement left, twist at 0, temper <c>mt[next++]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint NextUInt32()
    {
        if (--Left == 0)
        {
            Twist(_mt);
            Left = N;
            Next = 0;
        }
        return Temper(_mt[Next++]);
    }

    /// <summary><c>random64</c> (§2): the first word is the high half.</summary>
    public ulong NextUInt64()
    {
        ulong hi = NextUInt32();
        return (hi << 32) | NextUInt32();
    }

    /// <summary>float32 uniform in [0,1) from the low 24 bits of one word (§3), exact.</summary>
    public float NextFloat() => (NextUInt32() & 0xFFFFFFu) * (1.0f / 16777216.0f);

    /// <summary>float64 uniform in [0,1) from the low 53 bits of one random64 (§3), exact.</summary>
    public double NextDouble() => (NextUInt64() & ((1UL << 53) - 1)) * (1.0 / 9007199254740992.0);
}
