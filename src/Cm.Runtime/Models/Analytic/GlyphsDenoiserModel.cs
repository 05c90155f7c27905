using Cm.Pure.Sampling;
using Cm.Pure.Config;
using TorchSharp;

namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// <c>glyphs-denoiser</c>: the glyph mixture's exact posterior-mean denoiser used as if it were a consistency
/// function, f(x, σ) := D(x, σ) = E[x₀ | x_σ = x]: a deliberately imperfect consistency model.
/// </summary>
/// <remarks>
/// <para>D is the optimal one-step L2 estimate, not the end of the ODE trajectory: from a single high noise level
/// it returns a weighted average of glyphs (a blur), and it does not satisfy the boundary condition exactly
/// (D(x, σ_min) = μ̄ + (s²/(s² + σ_min²))(x − μ̄) ≠ x, off by about σ_min²/s² = 4·10⁻⁴ of x − μ̄). The multistep
/// sampler (Algorithm 1) re-noises D's answer and denoises again at a lower level, where the posterior is
/// sharper: more steps trade compute for quality, as with a trained consistency model (paper §4 and §6).</para>
/// <para>With labels, the class-conditional denoiser D_k(x, σ) = μ_k + (s²/(s² + σ²))(x − μ_k) is used.</para>
/// <para><b>Cost</b>: one batched mixture evaluation per call.</para>
/// </remarks>
public sealed class GlyphsDenoiserModel : IAnalyticModel
{
    private readonly ValidConfig _config;
    private readonly torch.Device _device;
    private readonly GaussianMixture _mixture;

    /// <summary>The denoiser of the glyph mixture with standard deviation <paramref name="s"/>.</summary>
    public GlyphsDenoiserModel(ValidConfig config, torch.Device device, double s = GlyphsModel.DefaultS)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _device = device ?? throw new ArgumentNullException(nameof(device));
        using (var c = Glyphs.Centres64(device)) _mixture = new GaussianMixture(c, s, device);
        Identity = Analytic.Identity.Of("glyphs-denoiser",
            ("k", Glyphs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("size", Glyphs.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("images", Glyphs.Version), ("s", Analytic.Identity.Num(s)),
            ("sigma_min", Analytic.Identity.Num(config.SigmaMin)), ("sigma_data", Analytic.Identity.Num(config.SigmaData)));
    }

    /// <inheritdoc />
    public string Identity { get; }

    /// <summary>The mixture (centres, s, denoiser).</summary>
    public GaussianMixture Mixture => _mixture;

    /// <inheritdoc />
    public long[]? SampleShape => Glyphs.SampleShape;

    /// <inheritdoc />
    public int ClassCount => Glyphs.Count;

    /// <inheritdoc />
    public bool IsExact => false;

    /// <inheritdoc />
    public torch.Tensor Forward(torch.Tensor scaledSample, double timestep, torch.Tensor? classLabels) =>
        Forward(scaledSample, NoiseLevel.FromTimestep(timestep, _config), classLabels);

    /// <inheritdoc />
    public torch.Tensor Forward(torch.Tensor scaledSample, StepScalars step, torch.Tensor? classLabels) =>
        Forward(scaledSample, NoiseLevel.FromStep(step, _config), classLabels);

    private torch.Tensor Forward(torch.Tensor scaledSample, NoiseLevel level, torch.Tensor? classLabels)
    {
        Checks.Sample(Identity, scaledSample, _device, SampleShape);
        torch.Tensor output;
        using (torch.NewDisposeScope())
        {
            if (classLabels is not null) Checks.Labels(Identity, scaledSample, classLabels, ClassCount);
            var x = level.Unscale(scaledSample);
            var flat = x.reshape(x.shape[0], -1);
            var d = classLabels is null
                ? _mixture.Denoise(flat, level.Sigma)
                : _mixture.DenoiseGiven(flat, level.Sigma, classLabels);
            output = level.RawOutput(d.reshape(x.shape), x, scaledSample.dtype).MoveToOuterDisposeScope();
        }
        return ModelConvention.CheckOutput(Identity, scaledSample, output);
    }

    /// <inheritdoc />
    public void Dispose() => _mixture.Dispose();
}
