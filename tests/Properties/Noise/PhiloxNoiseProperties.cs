using Cm.Pure.Noise;
using Cm.Pure.Noise.Philox;
using Cm.Pure.Tensors;
using FsCheck.Xunit;
using Xunit;

namespace Cm.Tests.Noise;

/// <summary>Order-, batch- and thread-independence of Philox noise, stated as properties.</summary>
public sealed class PhiloxNoiseProperties
{
    private const int Cases = 500;

    private static uint[] Bits(ReadOnlySpan<float> v)
    {
        var r = new uint[v.Length];
        for (int i = 0; i < v.Length; i++) r[i] = BitConverter.SingleToUInt32Bits(v[i]);
        return r;
    }

    [Property(MaxTest = Cases)]
    public void A_batch_equals_each_of_its_samples_drawn_alone(ulong seed, uint first, byte batch, byte item, uint draw)
    {
        int b = 1 + batch % 8, per = item % 50;
        first %= uint.MaxValue - 8;
        draw %= PhiloxNoise.MaxDraws - 1;
        var noise = new PhiloxNoise(seed, first, draw);
        var all = new float[b * per];
        var next = noise.FillSamples(Shape.Of(b, per), all).Ok();
        Assert.Equal(draw + 1, next.Draw);
        for (int i = 0; i < b; i++)
        {
            var alone = new float[per];
            noise.ForSample(first + (uint)i).FillSamples(Shape.Of(1, per), alone).Ok();
            Assert.Equal(Bits(alone), Bits(all.AsSpan(i * per, per)));
        }
    }

    [Property(MaxTest = Cases)]
    public void Noise_of_sample_i_at_draw_k_does_not_depend_on_earlier_draws_or_their_shapes(ulong seed, byte draws, byte size, byte item)
    {
        int k = draws % 6, per = 1 + item % 20;
        INoise noise = new PhiloxNoise(seed);
        for (int d = 0; d < k; d++) noise = noise.Fill(Shape.Of(1 + (size + d) % 3, 7), new float[(1 + (size + d) % 3) * 7]).Ok();
        var viaHistory = new float[per];
        noise.Fill(Shape.Of(1, per), viaHistory).Ok();
        var directSample = new float[per];
        new PhiloxNoise(seed).AtDraw((uint)k).FillSamples(Shape.Of(1, per), directSample).Ok();
        Assert.Equal(Bits(directSample), Bits(viaHistory));
        var stream = new float[per];
        PhiloxNormal.Fill(seed, PhiloxNoise.StreamOf(0, (uint)k), 0, stream);
        Assert.Equal(Bits(stream), Bits(viaHistory));
    }

    [Property(MaxTest = Cases)]
    public void Any_order_of_work_over_a_stream_gives_the_same_bits(ulong seed, ulong stream, uint start, byte[] cuts, int shuffle)
    {
        cuts ??= [];
        int n = cuts.Sum(c => c % 23);
        var whole = new float[n];
        PhiloxNormal.Fill(seed, stream, start, whole);
        // Cut [0, n) into the pieces given by cuts, and compute them in a shuffled order.
        var pieces = new List<(int Offset, int Count)>();
        int at = 0;
        foreach (var c in cuts) { pieces.Add((at, c % 23)); at += c % 23; }
        var order = pieces.OrderBy(_ => 0).ToArray();
        new Random(shuffle).Shuffle(order);
        var pieced = new float[n];
        foreach (var (offset, count) in order)
            PhiloxNormal.Fill(seed, stream, start + (ulong)offset, pieced.AsSpan(offset, count));
        Assert.Equal(Bits(whole), Bits(pieced));
    }

    [Property(MaxTest = Cases)]
    public void One_thread_or_many_give_the_same_bits(ulong seed, uint first, byte batch, ushort item, byte threads)
    {
        int b = 1 + batch % 6, per = item % 100 * 97, t = 2 + threads % 7; // up to 9603: several chunks
        first %= uint.MaxValue - 8;
        var noise = new PhiloxNoise(seed, first, 3);
        var serial = new float[b * per];
        var one = new float[b * per];
        var many = new float[b * per];
        var n0 = noise.FillSamples(Shape.Of(b, per), serial).Ok();
        var n1 = noise.FillParallel(Shape.Of(b, per), one, 1).Ok();
        var n2 = noise.FillParallel(Shape.Of(b, per), many, t).Ok();
        Assert.Equal(Bits(serial), Bits(one));
        Assert.Equal(Bits(serial), Bits(many));
        Assert.Equal(n0, n1);
        Assert.Equal(n0, n2);
    }

    [Property(MaxTest = Cases)]
    public void Seeds_s_and_s_plus_2_pow_32_give_different_philox_streams(uint low, uint high)
    {
        ulong s = low, t = ((ulong)(high | 1) << 32) | low;
        var a = new float[8];
        var b = new float[8];
        new PhiloxNoise(s).FillSamples(Shape.Of(1, 8), a).Ok();
        new PhiloxNoise(t).FillSamples(Shape.Of(1, 8), b).Ok();
        Assert.NotEqual(Bits(a), Bits(b));
    }

    [Property(MaxTest = Cases)]
    public void Class_labels_are_in_range_and_a_pure_function_of_seed_and_sample(ulong seed, uint sample, ushort classes)
    {
        int k = 1 + classes % 1000;
        int label = PhiloxLabels.ClassLabel(seed, sample, k);
        Assert.InRange(label, 0, k - 1);
        Assert.Equal(label, PhiloxLabels.ClassLabel(seed, sample, k));
        var batch = new int[3];
        PhiloxLabels.ClassLabels(seed, sample, k, batch);
        Assert.Equal(label, batch[0]);
    }

    [Fact]
    public void Class_labels_are_uniform_over_many_samples()
    {
        const int k = 10, n = 100_000;
        var counts = new int[k];
        for (int i = 0; i < n; i++) counts[PhiloxLabels.ClassLabel(7, (ulong)i, k)]++;
        double chi2 = counts.Sum(c => (c - n / (double)k) * (c - n / (double)k) / (n / (double)k));
        double p = 1 - MathNet.Numerics.Distributions.ChiSquared.CDF(k - 1, chi2);
        Assert.True(p > 1e-4, $"chi-square {chi2:F2}, p = {p:G3}; counts {string.Join(",", counts)}");
    }

    [Fact]
    public void Float64_fill_is_not_supported_and_says_philox_gives_float32()
    {
        var error = new PhiloxNoise(1).Fill(Shape.Of(2), new double[2]).Match(_ => "a draw", e => e.Message);
        Assert.Contains("float32", error);
        Assert.Contains("could not draw", error);
    }

    [Fact]
    public void Normals_have_unit_variance()
    {
        var z = new float[1 << 16];
        new PhiloxNoise(123).FillSamples(Shape.Of(z.Length), z).Ok();
        var (mean, variance) = MathNet.Numerics.Statistics.Statistics.MeanVariance(z.Select(v => (double)v));
        Assert.InRange(mean, -0.02, 0.02);
        Assert.InRange(variance, 0.98, 1.02);
    }
}
