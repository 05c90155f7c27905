using Cm.Pure.Noise;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Tensors;
using FsCheck.Xunit;
using Xunit;

namespace Cm.Tests.Noise;

/// <summary>Behaviour of the torch generator that the golden cases only sample: stated as properties.</summary>
public sealed class TorchGeneratorProperties
{
    private const int Cases = 500;

    // One call of a sequence: element count and dtype.
    private readonly record struct Call(int N, bool F64);

    private static Call[] Calls(byte[] sizes, int max) =>
        (sizes ?? []).Take(6).Select(b => new Call(b % max, (b & 0x80) != 0)).ToArray();

    /// <summary>Runs the calls and returns all values as bit patterns (float64 as 64-bit, float32 widened) and the final generator.</summary>
    private static (ulong[] Bits, TorchGenerator Final) Run(TorchGenerator g, IEnumerable<Call> calls)
    {
        var bits = new List<ulong>();
        foreach (var c in calls)
        {
            if (c.F64)
            {
                var d = new double[c.N];
                g = g.FillRandn(d);
                bits.AddRange(d.Select(BitConverter.DoubleToUInt64Bits));
            }
            else
            {
                var f = new float[c.N];
                g = g.FillRandn(f);
                bits.AddRange(f.Select(v => (ulong)BitConverter.SingleToUInt32Bits(v)));
            }
        }
        return (bits.ToArray(), g);
    }

    [Property(MaxTest = Cases)]
    public void Same_seed_and_calls_give_same_bits_and_state(ulong seed, byte[] sizes)
    {
        var calls = Calls(sizes, 40);
        var a = Run(TorchGenerator.ManualSeed(seed), calls);
        var b = Run(TorchGenerator.ManualSeed(seed), calls);
        Assert.Equal(a.Bits, b.Bits);
        Assert.Equal(a.Final, b.Final);
        Assert.Equal(TorchStateImage.Export(a.Final), TorchStateImage.Export(b.Final));
    }

    [Property(MaxTest = Cases)]
    public void Drawing_leaves_the_generator_value_unchanged(ulong seed, byte n)
    {
        var g = Run(TorchGenerator.ManualSeed(seed), [new Call(1, false)]).Final; // holds a cache
        var before = TorchStateImage.Export(g);
        var (x, _) = g.Randn32(Shape.Of(n % 40));
        var (y, _) = g.Randn32(Shape.Of(n % 40));
        Assert.Equal(x, y);
        Assert.Equal(before, TorchStateImage.Export(g));
    }

    [Property(MaxTest = Cases)]
    public void State_image_round_trips_byte_for_byte_and_replays(ulong seed, byte[] sizes, byte next)
    {
        var g = Run(TorchGenerator.ManualSeed(seed), Calls(sizes, 40)).Final;
        var image = TorchStateImage.Export(g);
        Assert.Equal(TorchStateImage.Size, image.Length);
        var back = TorchStateImage.Import(image).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(g, back);
        Assert.Equal(image, TorchStateImage.Export(back));
        Call[] then = [new Call(next % 40, (next & 0x80) != 0)];
        Assert.Equal(Run(g, then).Bits, Run(back, then).Bits);
    }

    /// <summary>
    /// §5/§7: the scalar path (n &lt; 16) serves one stream of Box–Muller values (cos, then the cached sin,
    /// ...) cache-first, shared by float32 and float64. So consecutive small calls, of any dtypes, give the
    /// values and state of the same number of one-element float64 calls (float32 parts rounded), ...
    /// </summary>
    [Property(MaxTest = Cases)]
    public void Small_calls_read_one_cache_first_stream_shared_by_both_dtypes(ulong seed, bool startWithCache, byte[] sizes)
    {
        var g0 = TorchGenerator.ManualSeed(seed);
        if (startWithCache) g0 = Run(g0, [new Call(3, false)]).Final;
        var parts = (sizes ?? []).Take(8).Select(b => new Call(1 + b % 15, (b & 0x80) != 0)).ToArray();
        int total = parts.Sum(p => p.N);

        var (bits, final) = Run(g0, parts);
        var (ones, finalOnes) = Run(g0, Enumerable.Repeat(new Call(1, true), total));
        var expected = new List<ulong>();
        int at = 0;
        foreach (var p in parts)
            for (int i = 0; i < p.N; i++, at++)
                expected.Add(p.F64 ? ones[at] : BitConverter.SingleToUInt32Bits((float)BitConverter.UInt64BitsToDouble(ones[at])));
        Assert.Equal(expected, bits);
        Assert.Equal(finalOnes, final);
    }

    /// <summary>
    /// ... and they equal ONE call of the total only while that total is still below 16: a call of 16 or
    /// more takes the vectorised path (float uniforms, §6), never reads the cache, and gives other values.
    /// </summary>
    [Property(MaxTest = Cases)]
    public void Small_calls_equal_one_call_of_their_sum_exactly_when_the_sum_is_below_16(ulong seed, bool startWithCache, byte[] sizes)
    {
        var g0 = TorchGenerator.ManualSeed(seed);
        if (startWithCache) g0 = Run(g0, [new Call(1, false)]).Final;
        var parts = (sizes ?? []).Take(6).Select(b => new Call(1 + b % 15, false)).ToArray();
        if (parts.Length == 0) return;
        int total = parts.Sum(p => p.N);
        var split = Run(g0, parts);
        var whole = Run(g0, [new Call(total, false)]);
        bool same = split.Bits.SequenceEqual(whole.Bits) && split.Final.Equals(whole.Final);
        Assert.Equal(total < 16, same);
        if (total >= 16) Assert.Equal(g0.CachedNormal, whole.Final.CachedNormal);
    }

    /// <summary>
    /// §6.1: a vectorised call fills whole 16-blocks and re-draws a fresh tail block when n mod 16 ≠ 0.
    /// So calls of 16 or more elements concatenate to one call of the sum exactly when every part but
    /// the last is a multiple of 16 (then the blocks line up and only the last call has a tail); the
    /// cache is never touched.
    /// </summary>
    [Property(MaxTest = Cases)]
    public void Large_calls_equal_one_call_of_their_sum_exactly_when_all_but_the_last_are_multiples_of_16(
        ulong seed, bool f64, byte[] blocks, byte[] rests)
    {
        var g0 = Run(TorchGenerator.ManualSeed(seed), [new Call(1, false)]).Final; // holds a cache
        blocks ??= []; rests ??= [];
        var parts = blocks.Take(4).Select((b, i) =>
        {
            int r = i < rests.Length && (rests[i] & 1) != 0 ? rests[i] / 2 % 16 : 0;
            return new Call(16 * (1 + b % 4) + r, f64);
        }).ToArray();
        if (parts.Length == 0) return;
        int total = parts.Sum(p => p.N);
        bool aligned = parts.SkipLast(1).All(p => p.N % 16 == 0);
        var split = Run(g0, parts);
        var whole = Run(g0, [new Call(total, f64)]);
        Assert.Equal(aligned, split.Bits.SequenceEqual(whole.Bits) && split.Final.Equals(whole.Final));
        Assert.Equal(g0.CachedNormal, split.Final.CachedNormal);
        Assert.Equal(g0.CachedNormal, whole.Final.CachedNormal);
    }

    [Property(MaxTest = Cases)]
    public void A_large_call_between_small_ones_leaves_the_cache_for_the_next_small_one(ulong seed, byte large)
    {
        var g = TorchGenerator.ManualSeed(seed);
        var (first, g1) = g.Randn64(Shape.Of(1));
        var cached = g1.CachedNormal.IfNone(double.NaN);
        var (_, g2) = g1.Randn32(Shape.Of(16 + large));
        var (third, g3) = g2.Randn64(Shape.Of(1));
        Assert.Equal(BitConverter.DoubleToUInt64Bits(cached * 1.0 + 0.0), BitConverter.DoubleToUInt64Bits(third[0]));
        Assert.True(g3.CachedNormal.IsNone);
        Assert.Equal((g2.Left, g2.Next), (g3.Left, g3.Next)); // nothing drawn
        Assert.True(first.Count == 1);
    }

    [Property(MaxTest = Cases)]
    public void Seeds_differing_only_above_bit_31_give_the_same_torch_stream(uint low, uint high, byte[] sizes)
    {
        ulong s = low, t = ((ulong)high << 32) | low;
        var calls = Calls(sizes, 40);
        var a = Run(TorchGenerator.ManualSeed(s), calls);
        var b = Run(TorchGenerator.ManualSeed(t), calls);
        Assert.Equal(a.Bits, b.Bits);
        Assert.True(a.Final.State.SequenceEqual(b.Final.State));
        Assert.Equal((a.Final.Left, a.Final.Next, a.Final.CachedNormal), (b.Final.Left, b.Final.Next, b.Final.CachedNormal));
    }

    [Property(MaxTest = Cases)]
    public void TorchNoise_fill_is_one_randn_of_the_element_count(ulong seed, byte d0, byte d1)
    {
        var shape = Shape.Of(d0 % 5, d1 % 9);
        INoise noise = TorchNoise.FromSeed(seed);
        var (viaNoise, next) = noise.Draw32(shape).Ok();
        var (direct, g) = TorchGenerator.ManualSeed(seed).Randn32(Shape.Of(shape.Count));
        Assert.Equal(direct.ToArray(), viaNoise.ToArray());
        Assert.Equal(g, ((TorchNoise)next).Generator);
    }

    // ---------------------------------------------------------------- facts

    [Fact]
    public void Import_rejects_malformed_images_with_a_reason()
    {
        static string Error(byte[] image) =>
            TorchStateImage.Import(image).Match(_ => "accepted", e => e.Message);

        var good = TorchStateImage.Export(TorchGenerator.ManualSeed(1));
        Assert.Contains("5056 bytes", Error(good[..100]));
        var notSeeded = (byte[])good.Clone(); notSeeded[12] = 0;
        Assert.Contains("not seeded", Error(notSeeded));
        var badLeft = (byte[])good.Clone(); badLeft[8] = 0;
        Assert.Contains("left = 0", Error(badLeft));
        var badNext = (byte[])good.Clone(); badNext[16] = 0xFF; badNext[17] = 0xFF;
        Assert.Contains("next = 65535", Error(badNext));
        var wide = (byte[])good.Clone(); wide[24 + 8 * 5 + 4] = 1;
        Assert.Contains("state word 5", Error(wide));
        var floatCache = (byte[])good.Clone(); floatCache[5052] = 1;
        Assert.Contains("cached float", Error(floatCache));
        Assert.Equal("accepted", Error(good));
    }

    [Fact]
    public void Torch1_variant_uses_log_of_one_minus_u_on_the_scalar_path()
    {
        // §5.1: in seed 42's float64 sequence [1], [2], [15], the call of 15 differs between torch 1.x
        // (log(1-u)) and 2.x (glibc log1p) at elements 13 and 14; float32 roundings agree.
        static double[] Third(TorchRandnVariant v)
        {
            var g = TorchGenerator.ManualSeed(42);
            (_, g) = g.Randn64(Shape.Of(1), v);
            (_, g) = g.Randn64(Shape.Of(2), v);
            return g.Randn64(Shape.Of(15), v).Values.ToArray();
        }
        var t2 = Third(TorchRandnVariant.Torch2Avx2);
        var t1 = Third(TorchRandnVariant.Torch1Avx2);
        var differ = Enumerable.Range(0, 15).Where(i => BitConverter.DoubleToUInt64Bits(t1[i]) != BitConverter.DoubleToUInt64Bits(t2[i]));
        Assert.Equal([13, 14], differ);
        Assert.Equal(t2.Select(v => (float)v), t1.Select(v => (float)v));
    }

    [Fact]
    public void Default_generator_is_seeded_with_67280421310721()
    {
        Assert.Equal(67280421310721UL, TorchGenerator.Default.InitialSeed);
        Assert.Equal(TorchGenerator.ManualSeed(67280421310721UL), TorchGenerator.Default);
    }
}
