using Cm.Pure.Config;
using Cm.Pure.Scalings;
using Cm.Pure.Schedules;
using Cm.Runtime.Models;
using Cm.Runtime.Models.Analytic;
using Cm.Tests.Runtime;
using LanguageExt;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Analytic;

/// <summary>Deterministic checks of the analytic models: boundary condition, parameterisation, glyphs, denoiser, ODE, registry.</summary>
public sealed class AnalyticModelTests
{
    private static ValidConfig Config => ValidConfig.Default;

    private static double[] RandomArray(int n, int seed, double scale)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => scale * (2 * rng.NextDouble() - 1)).ToArray();
    }

    [Fact]
    public void Gaussian_f_satisfies_the_boundary_condition_and_is_constant_along_trajectories()
    {
        RuntimeFixtures.RequireTorch();
        using var m = new GaussianModel(Config, torch.CPU);
        using var x = torch.tensor(RandomArray(64, 1, 3.0), new long[] { 4, 1, 4, 4 }, dtype: torch.float64);
        using (var f = m.ConsistencyFunction(x, m.SigmaMin)) // ratio exactly 1: (x − μ) + μ, one float64 rounding
            Assert.True(torch.allclose(f, x, rtol: 4e-16, atol: 4e-16));

        // Move x from σ = 7 along its trajectory to σ' = 0.3: x' − μ = (x − μ)·√(s² + σ'²)/√(s² + σ²); f must not change.
        double s = m.S, mu = m.Mu;
        var factor = Math.Sqrt(s * s + 0.09) / Math.Sqrt(s * s + 49);
        using var moved = (x - mu) * factor + mu;
        using var f7 = m.ConsistencyFunction(x, 7.0);
        using var f03 = m.ConsistencyFunction(moved, 0.3);
        Assert.True(torch.allclose(f7, f03, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Gaussian_raw_output_gives_f_through_the_samplers_float32_scalings()
    {
        RuntimeFixtures.RequireTorch();
        using var m = new GaussianModel(Config, torch.CPU);
        var schedule = Schedule.Create(Config, TimestepSpec.OfSteps(40)).ThrowIfFail();
        var xs = RandomArray(32, 2, 100.0).Select(v => (float)v).ToArray();
        foreach (var (t, i) in schedule.Timesteps.Select((t, i) => (t, i)))
        {
            var sigma = schedule.Sigmas[i];
            Assert.Equal(sigma, NoiseLevel.FromTimestep(t, Config).Sigma); // σ recovered from t exactly
            var divisor = EdmScalings.InputDivisor(sigma, Config);
            var scaled = xs.Select(v => v / divisor).ToArray();
            using var input = torch.tensor(scaled, new long[] { 2, 1, 4, 4 });
            using var raw = m.Forward(input, t, null);
            Assert.Equal(torch.float32, raw.dtype);
            var bc = EdmScalings.BoundaryCondition(sigma, Config);
            var outputs = raw.data<float>().ToArray();
            for (var k = 0; k < xs.Length; k++)
            {
                var denoised = bc.COut * outputs[k] + bc.CSkip * xs[k]; // the sampler's float32 arithmetic
                var exact = m.Mu + (xs[k] - m.Mu) * m.Ratio(sigma);
                var tol = 4e-7 * (1 + Math.Abs(exact) + Math.Abs(bc.CSkip * xs[k]));
                Assert.True(Math.Abs(denoised - exact) <= tol, $"step {i} sigma {sigma}: {denoised} vs {exact}");
            }
            if (bc.COut == 0f) Assert.All(outputs, v => Assert.Equal(0f, v));
        }
        Assert.Equal(0f, EdmScalings.BoundaryCondition(schedule.Sigmas[^1], Config).COut);
    }

    [Fact]
    public void Glyph_images_are_in_range_distinct_and_shaped()
    {
        RuntimeFixtures.RequireTorch();
        using var images = Glyphs.Images();
        Assert.Equal(new long[] { 10, 1, 16, 16 }, images.shape);
        var v = images.data<float>().ToArray();
        Assert.All(v, p => Assert.InRange(p, -1f, 1f));
        for (var d = 0; d < Glyphs.Count; d++)
        {
            var img = Glyphs.Image(d);
            Assert.Contains(-1f, img);
            Assert.Contains(1f, img);
        }
        Assert.True(Glyphs.MinPairwiseDistance() > 4.0, $"closest glyphs are {Glyphs.MinPairwiseDistance()} apart");
        using var d2 = Glyphs.Distances(images);
        var (index, distance) = Glyphs.Nearest(images);
        using (index) using (distance)
        {
            Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), index.data<long>().ToArray());
            Assert.All(distance.data<double>().ToArray(), x => Assert.Equal(0.0, x));
        }
    }

    [Fact]
    public void Mixture_denoiser_equals_the_brute_force_float64_formula()
    {
        RuntimeFixtures.RequireTorch();
        const int n = 6;
        const double s = 0.1;
        using var centres = Glyphs.Centres64(torch.CPU);
        using var mix = new GaussianMixture(centres, s, torch.CPU);
        var mu = centres.data<double>().ToArray();
        var rng = new Random(3);
        foreach (var sigma in new[] { 0.002, 0.1, 0.7, 1.5, 4.0, 80.0 })
        {
            // Points between two glyphs plus noise at σ, so the weights are neither uniform nor one-hot.
            var x = new double[n * 256];
            for (var i = 0; i < n; i++)
            {
                int a = rng.Next(10), b = rng.Next(10);
                var lambda = rng.NextDouble();
                for (var p = 0; p < 256; p++)
                    x[i * 256 + p] = lambda * mu[a * 256 + p] + (1 - lambda) * mu[b * 256 + p] + sigma * 0.3 * Gauss(rng);
            }
            using var xt = torch.tensor(x, new long[] { n, 256 }, dtype: torch.float64);
            using var dt = mix.Denoise(xt, sigma);
            var got = dt.data<double>().ToArray();
            var want = BruteForceDenoise(x, mu, n, s, sigma);
            for (var k = 0; k < got.Length; k++)
                Assert.True(Math.Abs(got[k] - want[k]) <= 1e-9 * (1 + Math.Abs(want[k])), $"sigma {sigma} element {k}: {got[k]} vs {want[k]}");
        }
    }

    private static double Gauss(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    private static double[] BruteForceDenoise(double[] x, double[] mu, int n, double s, double sigma)
    {
        var v = s * s + sigma * sigma;
        var result = new double[x.Length];
        for (var i = 0; i < n; i++)
        {
            var logits = new double[10];
            for (var k = 0; k < 10; k++)
            {
                double d2 = 0;
                for (var p = 0; p < 256; p++) { var d = x[i * 256 + p] - mu[k * 256 + p]; d2 += d * d; }
                logits[k] = -d2 / (2 * v);
            }
            var max = logits.Max();
            var w = logits.Select(l => Math.Exp(l - max)).ToArray();
            var total = w.Sum();
            for (var p = 0; p < 256; p++)
            {
                double acc = 0;
                for (var k = 0; k < 10; k++)
                    acc += w[k] / total * (mu[k * 256 + p] + s * s / v * (x[i * 256 + p] - mu[k * 256 + p]));
                result[i * 256 + p] = acc;
            }
        }
        return result;
    }

    [Fact]
    public void Ode_solution_of_a_single_gaussian_matches_the_closed_form_and_is_batch_independent()
    {
        RuntimeFixtures.RequireTorch();
        const double s = 0.1, sigmaMin = 0.002;
        using var all = Glyphs.Centres64(torch.CPU);
        using var centre = all.narrow(0, 3, 1);                    // K = 1: the glyph "3"
        using var mix = new GaussianMixture(centre, s, torch.CPU);
        var rng = new Random(5);
        foreach (var sigma in new[] { 80.0, 2.0 })
        {
            using var x = torch.tensor(Enumerable.Range(0, 8 * 256).Select(_ => sigma * Gauss(rng)).ToArray(), new long[] { 8, 256 }, dtype: torch.float64);
            var (end, stats) = ProbabilityFlowOde.Solve(mix.Denoise, x, sigma, sigmaMin, OdeTolerance.Default);
            using (end)
            {
                using var labels = torch.zeros(8, dtype: torch.int64);
                using var exact = mix.ConsistencyGiven(x, sigma, sigmaMin, labels);
                var maxErr = (end - exact).abs().max().item<double>();
                Assert.True(maxErr < 2e-5, $"sigma {sigma}: max error {maxErr} ({stats})");
                Assert.True(stats.Iterations > 3 && stats.Evaluations == 6 * stats.Iterations + 1, stats.ToString());

                var (alone, _) = ProbabilityFlowOde.Solve(mix.Denoise, x.narrow(0, 2, 3), sigma, sigmaMin, OdeTolerance.Default);
                using (alone)
                    Assert.True(torch.allclose(alone, end.narrow(0, 2, 3), rtol: 1e-9, atol: 1e-9), "a sample's solution depends on its batch");
            }
        }
    }

    [Fact]
    public void Glyph_models_return_zero_at_sigma_min_and_check_their_inputs()
    {
        RuntimeFixtures.RequireTorch();
        using var exact = new GlyphsModel(Config, torch.CPU);
        using var denoiser = new GlyphsDenoiserModel(Config, torch.CPU);
        using var x = torch.randn(2, 1, 16, 16);
        var tMin = Karras.SigmaToT(Config.SigmaMin);
        using (var f = exact.Forward(x, tMin, null)) Assert.Equal(0f, f.abs().max().item<float>());
        using (var f = denoiser.Forward(x, tMin, null)) Assert.Equal(0f, f.abs().max().item<float>());

        using var wrongShape = torch.randn(2, 1, 8, 8);
        Assert.Contains("[N, 1, 16, 16]", Assert.Throws<ModelCallException>(() => exact.Forward(wrongShape, 10.0, null)).Message);
        using var badLabels = torch.tensor(new long[] { 0, 10 });
        Assert.Contains("10 classes", Assert.Throws<ModelCallException>(() => exact.Forward(x, 10.0, badLabels)).Message);
        using var intLabels = torch.tensor(new int[] { 0, 1 });
        Assert.Contains("int64", Assert.Throws<ModelCallException>(() => denoiser.Forward(x, 10.0, intLabels)).Message);
        using var gaussian = new GaussianModel(Config, torch.CPU);
        using var labels = torch.tensor(new long[] { 0, 1 });
        Assert.Contains("unconditional", Assert.Throws<ModelCallException>(() => gaussian.Forward(x, 10.0, labels)).Message);
    }

    [Fact]
    public void Class_conditional_glyph_f_is_the_closed_form_per_label()
    {
        RuntimeFixtures.RequireTorch();
        using var m = new GlyphsModel(Config, torch.CPU);
        using var x = torch.randn(3, 1, 16, 16, dtype: torch.float64) * 5.0;
        using var labels = torch.tensor(new long[] { 7, 0, 7 });
        using var f = m.ConsistencyFunction(x, 5.0, labels);
        using var images = Glyphs.Images();
        var r = Math.Sqrt(0.01 + m.SigmaMin * m.SigmaMin) / Math.Sqrt(0.01 + 25);
        for (var i = 0; i < 3; i++)
        {
            using var mu = images[labels[i].item<long>()].to(torch.float64);
            using var want = mu + (x[i] - mu) * r;
            Assert.True(torch.allclose(f[i], want, rtol: 1e-12, atol: 1e-12));
        }
    }

    [Fact]
    public void Registry_creates_each_model_with_a_full_identity_and_lists_names_on_error()
    {
        RuntimeFixtures.RequireTorch();
        var ids = AnalyticModels.Names.Select(name =>
        {
            var model = AnalyticModels.TryCreate(name, Config, torch.CPU).ThrowIfFail();
            using var _ = (IDisposable)model;
            Assert.IsAssignableFrom<IAnalyticModel>(model);
            return model.Identity;
        }).ToArray();
        Assert.Equal("analytic:gaussian(mu=0.25,s=0.5,sigma_min=0.002,sigma_data=0.5)", ids[0]);
        Assert.Equal("analytic:glyphs(k=10,size=16,images=seven-segment-v1,s=0.1,sigma_min=0.002,sigma_data=0.5,ode=dopri5-per-sample,rtol=1E-06,atol=1E-06)", ids[1]);
        Assert.Equal("analytic:glyphs-denoiser(k=10,size=16,images=seven-segment-v1,s=0.1,sigma_min=0.002,sigma_data=0.5)", ids[2]);

        var upper = AnalyticModels.TryCreate(" Glyphs ", Config, torch.CPU).ThrowIfFail();
        ((IDisposable)upper).Dispose();
        var error = AnalyticModels.TryCreate("mnist", Config, torch.CPU);
        Assert.True(error.IsFail);
        error.IfFail(e =>
        {
            Assert.Equal(AnalyticModels.UnknownNameCode, e.Code);
            Assert.Contains("gaussian, glyphs, glyphs-denoiser", e.Message);
        });
    }
}
