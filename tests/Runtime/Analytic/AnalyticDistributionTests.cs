using Cm.Pure.Config;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Runtime.Models.Analytic;
using Cm.Tests.Runtime;
using LanguageExt;
using MathNet.Numerics.Distributions;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Analytic;

/// <summary>
/// End-to-end statistics with fixed seeds: the pure scheduler loop (<see cref="AnalyticSampling"/>) drives each
/// analytic model, and the samples are checked against the distribution the model defines. Bounds are two-sided
/// at significance 10⁻⁶ (means: normal quantile ≈ 4.9 standard errors; variances and squared distances:
/// chi-square quantiles), except the mode-proportion test (chi-square, 9 degrees of freedom, α = 10⁻³).
/// Clipping is off for the exact models (their distributions reach outside [−1, 1]).
/// </summary>
public sealed class AnalyticDistributionTests
{
    private const double Alpha = 1e-6;
    private static ValidConfig Config => AnalyticSampling.NoClip;

    private static (double Lo, double Hi) ChiSquareBounds(double dof) =>
        (ChiSquared.InvCDF(dof, Alpha / 2), ChiSquared.InvCDF(dof, 1 - Alpha / 2));

    /// <summary>
    /// Per pixel, the loop is affine in Gaussian variables, so the output is exactly Gaussian: start x ~ N(0, σ_max²);
    /// each step maps mean m ↦ μ + (m − μ)·r_i and variance v ↦ v·r_i², r_i = √(s² + σ_min²)/√(s² + σ_i²), then adds
    /// noise of variance NoiseScale_i² (s_noise = 1) when the step draws noise. Returns (1 − Π r_i, final variance):
    /// the output mean is μ·(1 − Π r_i).
    /// </summary>
    private static (double MeanFactor, double Variance) PredictGaussian(GaussianModel m, ValidConfig c, TimestepSpec spec)
    {
        var schedule = Schedule.Create(c, spec).ThrowIfFail();
        double prod = 1, v = (double)(float)c.InitNoiseSigma * (float)c.InitNoiseSigma;
        for (var i = 0; i < schedule.Steps; i++)
        {
            var sc = StepScalars.At(c, schedule, i);
            var r = m.Ratio(sc.Sigma);
            prod *= r;
            v *= r * r;
            if (sc.DrawsNoise) v += (double)sc.NoiseScale * sc.NoiseScale;
        }
        return (1 - prod, v);
    }

    public static TheoryData<string, int> GaussianCases() => new()
    {
        { "steps=1", 0 }, { "timesteps=[22,0]", 0 }, { "steps=4", 0 }, { "steps=1", 8 }, { "steps=4", 8 },
    };

    [Theory]
    [MemberData(nameof(GaussianCases))]
    public void Gaussian_samples_have_the_predicted_mean_and_variance(string schedule, int perPixelDigit)
    {
        RuntimeFixtures.RequireTorch();
        var dev = RuntimeFixtures.Device;
        var spec = schedule == "timesteps=[22,0]" ? TimestepSpec.OfIndices(22, 0)
            : TimestepSpec.OfSteps(int.Parse(schedule["steps=".Length..], System.Globalization.CultureInfo.InvariantCulture));
        using var images = Glyphs.Images();
        // Scalar μ = 0.25, s = 0.5 (defaults), or a per-pixel mean (a glyph image) with s = 0.2.
        using var model = perPixelDigit == 0
            ? new GaussianModel(Config, dev)
            : new GaussianModel(Config, dev, images[perPixelDigit], s: 0.2);
        var shape = Shape.Of(16, 1, 16, 16);
        var x = AnalyticSampling.Sample(model, Config, spec, shape, seed: 20 + (ulong)perPixelDigit, dev);
        var (meanFactor, variance) = PredictGaussian(model, Config, spec);
        var mu = perPixelDigit == 0 ? Enumerable.Repeat(model.Mu, 256).ToArray() : Glyphs.Image(perPixelDigit).Select(v => (double)v).ToArray();

        // Standardised residuals u = (x − μ(1 − Πr))/√V are iid N(0, 1) over all 16·256 values.
        var u = x.ToArray().Select((v, k) => (v - mu[k % 256] * meanFactor) / Math.Sqrt(variance)).ToArray();
        var n = u.Length;
        var mean = u.Average();
        var ss = u.Sum(v => (v - mean) * (v - mean));
        var z = Normal.InvCDF(0, 1, 1 - Alpha / 2);
        Assert.True(Math.Abs(mean) <= z / Math.Sqrt(n), $"standardised mean {mean}, bound {z / Math.Sqrt(n)}");
        var (lo, hi) = ChiSquareBounds(n - 1);
        Assert.True(ss >= lo && ss <= hi, $"sum of squares {ss} outside [{lo}, {hi}] (n = {n})");
    }

    /// <summary>
    /// Checks glyph samples: each is nearest to <paramref name="expected"/> (when given), and the squared distances
    /// to the nearest glyph, over s² + σ_min², sum to a χ²(256·N) value.
    /// </summary>
    private static long[] CheckNearGlyphs(Tensor<float> x, double s, double sigmaMin, long[]? expected)
    {
        using var xt = AnalyticSampling.ToTorch(x);
        var (index, distance) = Glyphs.Nearest(xt);
        using (index) using (distance)
        {
            var nearest = index.data<long>().ToArray();
            if (expected is not null) Assert.Equal(expected, nearest);
            var d2 = distance.data<double>().Sum(d => d * d) / (s * s + sigmaMin * sigmaMin);
            var (lo, hi) = ChiSquareBounds(256.0 * nearest.Length);
            Assert.True(d2 >= lo && d2 <= hi, $"squared distances / (s² + σ_min²) = {d2}, outside [{lo}, {hi}]");
            return nearest;
        }
    }

    public static TheoryData<int> ExactGlyphSteps() => new() { 1, 2 };

    /// <summary>
    /// Exact start: x_T drawn from the noised data p_σmax = (1/10)Σ_k N(μ_k, (s² + σ_max²)I) (k from the Philox label
    /// streams) rather than from N(0, σ_max²I). Then one ODE-exact step maps it onto p_σmin, and so does every
    /// later step (re-noising p_σmin to σ gives p_σ). Mode proportions must be 1/10 each.
    /// </summary>
    [Theory]
    [MemberData(nameof(ExactGlyphSteps))]
    public void Exact_unconditional_glyphs_reproduce_the_mixture_from_an_exact_start(int steps)
    {
        RuntimeFixtures.RequireTorch();
        var dev = RuntimeFixtures.Device;
        using var model = new GlyphsModel(Config, dev);
        var n = steps == 1 ? 300 : 150;
        var components = AnalyticSampling.Labels(seed: 31, n, 10);
        var spread = Math.Sqrt(model.S * model.S + Config.SigmaMax * Config.SigmaMax);
        var x = AnalyticSampling.Sample(model, Config, steps == 1 ? TimestepSpec.OfSteps(1) : TimestepSpec.OfIndices(22, 0),
            Shape.Of(n, 1, 16, 16), seed: 30 + (ulong)steps, dev,
            initial: z => Tensor<float>.Create(z.Shape, z, (dst, src) =>
            {
                for (var i = 0; i < dst.Length; i++)
                    dst[i] = (float)(Glyphs.Image((int)components[i / 256])[i % 256] + spread * src[i]);
            }));
        var nearest = CheckNearGlyphs(x, model.S, model.SigmaMin, expected: null);
        var counts = new double[10];
        foreach (var k in nearest) counts[k]++;
        var expected = n / 10.0;
        var chi2 = counts.Sum(c => (c - expected) * (c - expected) / expected);
        var critical = ChiSquared.InvCDF(9, 1 - 1e-3);
        Assert.True(chi2 <= critical, $"mode counts [{string.Join(", ", counts)}]: chi-square {chi2} > {critical}");
    }

    /// <summary>
    /// The pipeline's start x_T ~ N(0, σ_max²I) only approximates p_σmax (KL ≲ 0.02): samples still land on a glyph
    /// with the component spread, but the mode proportions need not be exactly uniform (docs/analytic-models.md), so
    /// only the distances are checked here.
    /// </summary>
    [Fact]
    public void Exact_unconditional_glyphs_from_the_pipeline_start_land_on_glyphs()
    {
        RuntimeFixtures.RequireTorch();
        var dev = RuntimeFixtures.Device;
        using var model = new GlyphsModel(Config, dev);
        var x = AnalyticSampling.Sample(model, Config, TimestepSpec.OfSteps(1), Shape.Of(64, 1, 16, 16), seed: 40, dev);
        CheckNearGlyphs(x, model.S, model.SigmaMin, expected: null);
    }

    public static TheoryData<int> ConditionalSteps() => new() { 1, 2, 4 };

    [Theory]
    [MemberData(nameof(ConditionalSteps))]
    public void Class_conditional_glyph_samples_lie_nearest_their_labels_glyph(int steps)
    {
        RuntimeFixtures.RequireTorch();
        var dev = RuntimeFixtures.Device;
        using var model = new GlyphsModel(Config, dev);
        const int n = 200;
        var labels = AnalyticSampling.Labels(seed: 50, n, 10);
        var spec = steps == 2 ? TimestepSpec.OfIndices(22, 0) : TimestepSpec.OfSteps(steps);
        var x = AnalyticSampling.Sample(model, Config, spec, Shape.Of(n, 1, 16, 16), seed: 51 + (ulong)steps, dev, labels);
        CheckNearGlyphs(x, model.S, model.SigmaMin, expected: labels);
    }

    /// <summary>
    /// The denoiser D used as f: from σ_max alone D is a blur of all glyphs (far from each); with more steps the
    /// sampler re-noises and denoises at lower levels where the posterior has picked one glyph, so the mean distance
    /// to the nearest glyph falls. Two chains: the standard 1, 2, 4 steps, and 1 step, [22, 0], [22, 18, 10, 0]
    /// (the last two end at the same σ = 1.38, so only the number of intermediate levels differs).
    /// </summary>
    [Fact]
    public void Denoiser_as_consistency_model_gets_closer_to_glyphs_with_more_steps()
    {
        RuntimeFixtures.RequireTorch();
        var dev = RuntimeFixtures.Device;
        var config = ValidConfig.Default; // clipping on, as a pipeline would run it
        using var model = new GlyphsDenoiserModel(config, dev);
        const int n = 600;
        (double Mean, double Se) Distance(TimestepSpec spec)
        {
            var x = AnalyticSampling.Sample(model, config, spec, Shape.Of(n, 1, 16, 16), seed: 60, dev);
            using var xt = AnalyticSampling.ToTorch(x);
            using var d = Glyphs.NearestDistance(xt);
            return (d.mean().item<double>(), d.std().item<double>() / Math.Sqrt(n));
        }
        void Falls(TimestepSpec more, (double Mean, double Se) a, (double Mean, double Se) b)
        {
            var z = Normal.InvCDF(0, 1, 1 - Alpha / 2);
            Assert.True(a.Mean - b.Mean > z * Math.Sqrt(a.Se * a.Se + b.Se * b.Se),
                $"{more}: mean distance {b.Mean} (±{b.Se}) is not clearly below {a.Mean} (±{a.Se})");
        }
        var one = Distance(TimestepSpec.OfSteps(1));
        var two = Distance(TimestepSpec.OfSteps(2));
        var four = Distance(TimestepSpec.OfSteps(4));
        Falls(TimestepSpec.OfSteps(2), one, two);
        Falls(TimestepSpec.OfSteps(4), two, four);
        var pair = Distance(TimestepSpec.OfIndices(22, 0));
        var quad = Distance(TimestepSpec.OfIndices(22, 18, 10, 0));
        Falls(TimestepSpec.OfIndices(22, 0), one, pair);
        Falls(TimestepSpec.OfIndices(22, 18, 10, 0), pair, quad);
    }
}
