using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Cm.Pure.Noise.Philox;

namespace Cm.Benchmarks;

/// <summary>
/// The measured floors of the AVX-512 Philox normal kernel (docs/performance.md): its two halves run alone. They
/// live here, not in Cm.Pure, because nothing but a benchmark needs them; they reuse the kernel's own rounds and
/// Box–Muller, so a floor measures exactly the code the fill runs.
/// </summary>
internal static class PhiloxFloors
{
    /// <summary>
    /// Benchmark floor (AVX-512 only): the Philox rounds of the AVX-512 fill alone, the words
    /// of 16 blocks per step stored word by word (16 × o0, 16 × o1, …), no Box–Muller and no transpose.
    /// <paramref name="destination"/> holds <c>64 · groups</c> words.
    /// </summary>
    public static void WordsOnly512(ulong seed, ulong stream, ulong firstBlock, int groups, Span<uint> destination) =>
        PhiloxNormal.Groups512<WordsOut512, uint>(seed, stream, firstBlock, groups, destination);

    /// <summary>The raw words, word by word (benchmark floor).</summary>
    private readonly struct WordsOut512 : PhiloxNormal.IGroupOut512<uint>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Store(ref uint dst, nuint o,
            Vector512<ulong> a0, Vector512<ulong> a1, Vector512<ulong> a2, Vector512<ulong> a3,
            Vector512<ulong> b0, Vector512<ulong> b1, Vector512<ulong> b2, Vector512<ulong> b3)
        {
            Vector512.Narrow(a0, b0).StoreUnsafe(ref dst, o);
            Vector512.Narrow(a1, b1).StoreUnsafe(ref dst, o + 16);
            Vector512.Narrow(a2, b2).StoreUnsafe(ref dst, o + 32);
            Vector512.Narrow(a3, b3).StoreUnsafe(ref dst, o + 48);
        }
    }

    /// <summary>
    /// Benchmark floor (AVX-512 only): the 16-lane unfused Box–Muller of the AVX-512 fill alone,
    /// on words already in memory: each 32 words (16 radius, 16 angle) give 32 normals (even then odd, no
    /// transpose). Not a fill of any stream; <paramref name="words"/> and <paramref name="destination"/>
    /// have the same length, a multiple of 32.
    /// </summary>
    public static void BoxMullerOnly512(ReadOnlySpan<uint> words, Span<float> destination)
    {
        if (!Avx512F.IsSupported || words.Length != destination.Length || words.Length % 32 != 0)
            throw new ArgumentException("AVX-512 and equal lengths, a multiple of 32, are required");
        ref var w = ref MemoryMarshal.GetReference(words);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; i < (nuint)words.Length; i += 32)
        {
            var (even, odd) = PhiloxNormal.BoxMullerVector(Vector512.LoadUnsafe(ref w, i), Vector512.LoadUnsafe(ref w, i + 16));
            even.StoreUnsafe(ref dst, i);
            odd.StoreUnsafe(ref dst, i + 16);
        }
    }
}
