using Cm.Pure.Errors;
using System.Buffers.Binary;
using System.Diagnostics.Contracts;
using LanguageExt;
using LanguageExt.Common;

namespace Cm.Pure.Noise.Torch;

/// <summary>
/// The 5056-byte little-endian image of <c>Generator.get_state()</c> / <c>set_state()</c>
/// (torch-cpu-randn.md §7), byte for byte.
/// </summary>
/// <remarks>
/// Layout: 0 u64 seed · 8 i32 left · 12 i32 seeded (=1) · 16 u64 next · 24 u64[624] state words ·
/// 5016 f64 unused · 5024 f64 cached double normal · 5032 f64 unused · 5040 i32 cached-double flag ·
/// 5048 f32 cached float · 5052 u8 cached-float flag · 5053 padding. Unused fields are written as 0.
/// </remarks>
public static class TorchStateImage
{
    /// <summary>Size of the image in bytes.</summary>
    public const int Size = 5056;

    private const int OffSeed = 0, OffLeft = 8, OffSeeded = 12, OffNext = 16, OffState = 24,
        OffCache = 5024, OffCacheFlag = 5040, OffFloatFlag = 5052;

    /// <summary>The image <c>get_state()</c> returns for <paramref name="generator"/>.</summary>
    [Pure]
    public static byte[] Export(TorchGenerator generator)
    {
        var b = new byte[Size];
        var s = b.AsSpan();
        BinaryPrimitives.WriteUInt64LittleEndian(s[OffSeed..], generator.InitialSeed);
        BinaryPrimitives.WriteInt32LittleEndian(s[OffLeft..], generator.Left);
        BinaryPrimitives.WriteInt32LittleEndian(s[OffSeeded..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(s[OffNext..], (ulong)generator.Next);
        var st = generator.State;
        for (int i = 0; i < Mt19937.N; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(s[(OffState + 8 * i)..], st[i]);
        generator.CachedNormal.IfSome(c =>
        {
            BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(OffCache), c);
            BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(OffCacheFlag), 1);
        });
        return b;
    }

    /// <summary>
    /// The generator an image describes, or an error saying what is malformed: wrong size, not seeded,
    /// counters outside MT19937's valid range (1 ≤ left ≤ 624, 0 ≤ next ≤ 624, the check torch's
    /// <c>set_state</c> makes), a state word above 32 bits, or a cached float normal (which
    /// <c>randn</c> never produces and this model cannot hold).
    /// </summary>
    [Pure]
    public static Fin<TorchGenerator> Import(ReadOnlySpan<byte> image)
    {
        if (image.Length != Size)
            return Fail($"a torch CPU generator state image has {Size} bytes, got {image.Length}");
        int seeded = BinaryPrimitives.ReadInt32LittleEndian(image[OffSeeded..]);
        if (seeded != 1)
            return Fail($"state image is not seeded (field at offset {OffSeeded} is {seeded}, expected 1)");
        int left = BinaryPrimitives.ReadInt32LittleEndian(image[OffLeft..]);
        if (left < 1 || left > Mt19937.N)
            return Fail($"state image has left = {left}; MT19937 needs 1 <= left <= {Mt19937.N}");
        ulong next = BinaryPrimitives.ReadUInt64LittleEndian(image[OffNext..]);
        if (next > Mt19937.N)
            return Fail($"state image has next = {next}; MT19937 needs next <= {Mt19937.N}");
        var mt = new uint[Mt19937.N];
        for (int i = 0; i < Mt19937.N; i++)
        {
            ulong w = BinaryPrimitives.ReadUInt64LittleEndian(image[(OffState + 8 * i)..]);
            if (w > uint.MaxValue)
                return Fail($"state word {i} is 0x{w:x16}, which does not fit in 32 bits");
            mt[i] = (uint)w;
        }
        if (image[OffFloatFlag] != 0)
            return Fail("state image holds a cached float normal, which torch.randn never creates; not supported");
        bool hasCache = BinaryPrimitives.ReadInt32LittleEndian(image[OffCacheFlag..]) != 0;
        double cache = BinaryPrimitives.ReadDoubleLittleEndian(image[OffCache..]);
        ulong seed = BinaryPrimitives.ReadUInt64LittleEndian(image[OffSeed..]);
        return Fin<TorchGenerator>.Succ(new TorchGenerator(seed, mt, left, (int)next, hasCache, cache));
    }

    private static Fin<TorchGenerator> Fail(string message) => Fin<TorchGenerator>.Fail(new InvalidGeneratorState(message));
}
