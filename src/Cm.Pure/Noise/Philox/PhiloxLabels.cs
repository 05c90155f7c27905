using System.Diagnostics.Contracts;

namespace Cm.Pure.Noise.Philox;

/// <summary>
/// Class labels for class-conditional sampling, drawn from Philox streams reserved for them:
/// sample <c>i</c> uses stream <c>0x8000_0000_0000_0000 | i</c>, which no <see cref="PhiloxNoise"/>
/// stream reaches (their top bit is clear). A label is a pure function of (seed, sample, class count).
/// </summary>
public static class PhiloxLabels
{
    /// <summary>The top bit that marks a label stream.</summary>
    public const ulong LabelStreamBit = 0x8000_0000_0000_0000UL;

    /// <summary>
    /// A uniform integer in [0, <paramref name="classCount"/>) for global sample <paramref name="sample"/>.
    /// Exactly unbiased: Lemire's multiply-high with rejection. Word j of the label stream gives
    /// <c>m = w · K</c>; it is accepted unless <c>lo32(m) &lt; 2^32 mod K</c>, and the label is <c>hi32(m)</c>.
    /// A rejection happens with probability below K / 2^32 and takes the next word.
    /// </summary>
    [Pure]
    public static int ClassLabel(ulong seed, ulong sample, int classCount)
    {
        if (classCount <= 0) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "need at least one class");
        if (sample >= LabelStreamBit) throw new ArgumentOutOfRangeException(nameof(sample), sample, "sample index must be below 2^63");
        ulong stream = LabelStreamBit | sample;
        uint k = (uint)classCount;
        uint threshold = (0u - k) % k; // 2^32 mod K
        for (ulong j = 0; ; j++)
        {
            ulong m = (ulong)Philox4x32.Word(seed, stream, j) * k;
            if ((uint)m >= threshold) return (int)(m >> 32);
        }
    }

    /// <summary>Labels of global samples <c>firstSample .. firstSample + destination.Length</c>.</summary>
    public static void ClassLabels(ulong seed, ulong firstSample, int classCount, Span<int> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = ClassLabel(seed, firstSample + (ulong)i, classCount);
    }
}
