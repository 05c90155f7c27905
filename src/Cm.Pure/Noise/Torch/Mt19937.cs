using System.Diagnostics.Contracts;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>
    /// The same twist as <see cref="Twist"/> on 8 words at a time (<see cref="Vector256{T}"/>): word i
    /// reads the new word i + M − N once i ≥ N − M (never closer than 8 words behind), the old words
    /// i + 1 and i + M before they are rewritten, and word 623 the new word 0, exactly as the scalar loop.
    /// </summary>
    internal static void TwistVector(Span<uint> mt)
    {
        if (mt.Length != N) throw new ArgumentException($"MT19937 state has {N} words, got {mt.Length}", nameof(mt));
        ref var p = ref MemoryMarshal.GetReference(mt);
        var upper = Vector256.Create(Upper);
        var lower = Vector256.Create(Lower);
        var matrix = Vector256.Create(Matrix);
        var one = Vector256<uint>.One;
        int i = 0;
        for (; i + 8 <= N - M; i += 8)
        {
            var y = (Vector256.LoadUnsafe(ref p, (nuint)i) & upper) | (Vector256.LoadUnsafe(ref p, (nuint)(i + 1)) & lower);
            var r = Vector256.LoadUnsafe(ref p, (nuint)(i + M)) ^ (y >> 1) ^ ((Vector256<uint>.Zero - (y & one)) & matrix);
            r.StoreUnsafe(ref p, (nuint)i);
        }
        for (; i < N - M; i++) TwistOne(mt, i);
        for (; i + 8 <= N - 1; i += 8)
        {
            var y = (Vector256.LoadUnsafe(ref p, (nuint)i) & upper) | (Vector256.LoadUnsafe(ref p, (nuint)(i + 1)) & lower);
            var r = Vector256.LoadUnsafe(ref p, (nuint)(i + M - N)) ^ (y >> 1) ^ ((Vector256<uint>.Zero - (y & one)) & matrix);
            r.StoreUnsafe(ref p, (nuint)i);
        }
        for (; i < N; i++) TwistOne(mt, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TwistOne(Span<uint> mt, int i)
    {
        uint y = (mt[i] & Upper) | (mt[(i + 1) % N] & Lower);
        mt[i] = mt[(i + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? Matrix : 0u);
    }

    /// <summary>
    /// <c>destination.Length</c> consecutive <see cref="NextFloat"/> values, with the same words, twists
    /// and counters as that many calls: the words left before the next twist (<c>left − 1</c> of them,
    /// from <c>mt[next]</c>) are tempered 8 at a time, then the state is twisted and the rest follow.
    /// Uses the scalar calls where 256-bit vectors are not accelerated or the counters are not a
    /// consistent MT19937 position (so that such states fail exactly as the scalar engine does).
    /// </summary>
    public void FillFloats(Span<float> destination)
    {
        if (!Vector256.IsHardwareAccelerated || Next < 0 || Left < 1 || Next + Left - 1 > N)
        {
            for (int k = 0; k < destination.Length; k++) destination[k] = NextFloat();
            return;
        }
        int done = 0;
        while (done < destination.Length)
        {
            int avail = Left - 1;
            if (avail == 0)
            {
                TwistVector(_mt);
                Left = N + 1; // the twist's own draw is counted below, as NextUInt32 leaves left = N after it
                Next = 0;
                avail = N;
            }
            int take = Math.Min(avail, destination.Length - done);
            TemperToFloats(_mt.Slice(Next, take), destination.Slice(done, take));
            Next += take;
            Left -= take;
            done += take;
        }
    }

    /// <summary>Tempering and the §3 float map of each word, 8 at a time, the last words one by one.</summary>
    private static void TemperToFloats(ReadOnlySpan<uint> words, Span<float> destination)
    {
        ref var w = ref MemoryMarshal.GetReference(words);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var b1 = Vector256.Create(0x9D2C5680u);
        var b2 = Vector256.Create(0xEFC60000u);
        var low24 = Vector256.Create(0xFFFFFFu);
        var scale = Vector256.Create(1.0f / 16777216.0f);
        int k = 0;
        for (; k + 8 <= words.Length; k += 8)
        {
            var y = Vector256.LoadUnsafe(ref w, (nuint)k);
            y ^= y >> 11;
            y ^= (y << 7) & b1;
            y ^= (y << 15) & b2;
            y ^= y >> 18;
            (Vector256.ConvertToSingle((y & low24).AsInt32()) * scale).StoreUnsafe(ref d, (nuint)k);
        }
        for (; k < words.Length; k++) destination[k] = (Temper(words[k]) & 0xFFFFFFu) * (1.0f / 16777216.0f);
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
