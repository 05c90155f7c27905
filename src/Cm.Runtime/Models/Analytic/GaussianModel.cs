using Cm.Pure.Sampling;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Cm.Pure.Config;
using TorchSharp;

namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// <c>gaussian</c>: the exact consistency model of Gaussian data x₀ ~ N(μ, s²I), with μ a scalar or one
/// value per pixel and s &gt; 0. Unconditional (labels are refused); any sample shape when μ is a scalar.
/// </summary>
/// <remarks>
/// <para><b>Why the consistency function is exact.</b> Noising at level σ gives x = x₀ + σz, so
/// p_σ = N(μ, (s² + σ²)I) and the ideal denoiser is D(x, σ) = E[x₀ | x] = μ + s²/(s² + σ²)·(x − μ).
/// The probability-flow ODE (Karras et al. 2022, eq. 3 with σ(t) = t) is dx/dσ = (x − D(x, σ))/σ
/// = σ/(s² + σ²)·(x − μ), whose solution through (x, σ) is x(σ') − μ = (x − μ)·√(s² + σ'²)/√(s² + σ²).
/// The consistency function maps every point of a trajectory to its end at σ_min (paper, eq. 3):</para>
/// <para>f(x, σ) = μ + (x − μ)·√(s² + σ_min²) / √(s² + σ²).</para>
/// <para>It satisfies the boundary condition f(x, σ_min) = x and is constant along trajectories, and it
/// maps p_σ onto p_{σ_min} = N(μ, (s² + σ_min²)I) exactly.</para>
/// <para><b>Output.</b> The model returns F = (f − c_skip·x)/c_out (<see cref="NoiseLevel"/>), so that the
/// sampler's c_skip·x + c_out·F is f up to float32 rounding. σ_min is the sampler's float32 f(σ_min), so
/// that σ = σ_min gives a ratio of exactly 1.</para>
/// <para><b>Defaults</b> (<see cref="DefaultMu"/>, <see cref="DefaultS"/>): μ = 0.25, s = 0.5: off-centre
/// (so a sampler that forgets μ is caught) and with s = σ_data of the default config. About 7 % of the mass
/// lies outside [−1, 1], so with <c>clip_denoised</c> on the sampler produces the clipped distribution;
/// turn clipping off to sample N(μ, s²) itself.</para>
/// <para><b>Cost</b>: a handful of elementwise float64 tensor operations per call.</para>
/// </remarks>
public sealed class GaussianModel : IAnalyticModel
{
    /// <summary>Default mean μ = 0.25.</summary>
    public const double DefaultMu = 0.25;

    /// <summary>Default standard deviation s = 0.5.</summary>
    public const double DefaultS = 0.5;

    private readonly ValidConfig _config;
    private readonly torch.Device _device;
    private readonly torch.Tensor? _muPixels; // float64 [C, H, W] on the device, or null for a scalar μ
    private readonly double _mu;

    /// <summary>Data N(μ, s²I) with a scalar mean, for samples of any shape.</summary>
    public GaussianModel(ValidConfig config, torch.Device device, double mu = DefaultMu, double s = DefaultS)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _device = device ?? throw new ArgumentNullException(nameof(device));
        if (!double.IsFinite(mu)) throw new ArgumentOutOfRangeException(nameof(mu), mu, "mu must be finite");
        S = CheckS(s);
        _mu = mu;
        Identity = Analytic.Identity.Of("gaussian",
            ("mu", Analytic.Identity.Num(mu)), ("s", Analytic.Identity.Num(s)),
            ("sigma_min", Analytic.Identity.Num(config.SigmaMin)), ("sigma_data", Analytic.Identity.Num(config.SigmaData)));
    }

    /// <summary>
    /// Data N(μ, s²I) with a per-pixel mean <paramref name="mu"/> of shape <c>[C, H, W]</c> (copied, as float64):
    /// the model then needs samples of that shape. The identity names the shape and the SHA-256 of the
    /// float64 little-endian values.
    /// </summary>
    public GaussianModel(ValidConfig config, torch.Device device, torch.Tensor mu, double s = DefaultS)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _device = device ?? throw new ArgumentNullException(nameof(device));
        ArgumentNullException.ThrowIfNull(mu);
        if (mu.dim() != 3) throw new ArgumentException($"a per-pixel mean has shape [C, H, W], got [{string.Join(", ", mu.shape)}]", nameof(mu));
        S = CheckS(s);
        var values = mu.to(torch.float64).cpu().data<double>().ToArray();
        if (values.Any(v => !double.IsFinite(v))) throw new ArgumentException("every mean value must be finite", nameof(mu));
        _muPixels = torch.tensor(values, mu.shape, dtype: torch.float64, device: device);
        SampleShape = mu.shape;
        var hash = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(values.AsSpan())));
        Identity = Analytic.Identity.Of("gaussian",
            ("mu", $"per-pixel[{string.Join("x", mu.shape)}]:sha256:{hash}"), ("s", Analytic.Identity.Num(s)),
            ("sigma_min", Analytic.Identity.Num(config.SigmaMin)), ("sigma_data", Analytic.Identity.Num(config.SigmaData)));
    }

    /// <inheritdoc />
    public string Identity { get; }

    /// <summary>The data standard deviation s.</summary>
    public double S { get; }

    /// <summary>The scalar mean μ (NaN when the mean is per pixel).</summary>
    public double Mu => _muPixels is null ? _mu : double.NaN;

    /// <inheritdoc />
    public long[]? SampleShape { get; }

    /// <inheritdoc />
    public int ClassCount => 0;

    /// <inheritdoc />
    public bool IsExact => true;

    /// <summary>σ_min as the sampler uses it: the float32 f(σ_min), widened.</summary>
    public double SigmaMin => (float)_config.SigmaMin;

    /// <summary>The contraction √(s² + σ_min²)/√(s² + σ²) of f at noise level σ (float64).</summary>
    public double Ratio(double sigma) => Math.Sqrt(S * S + SigmaMin * SigmaMin) / Math.Sqrt(S * S + sigma * sigma);

    /// <summary>f(x, σ) = μ + (x − μ)·√(s² + σ_min²)/√(s² + σ²) for an unscaled float64 sample <paramref name="x"/>.</summary>
    public torch.Tensor ConsistencyFunction(torch.Tensor x, double sigma)
    {
        ArgumentNullException.ThrowIfNull(x);
        var r = Ratio(sigma);
        if (_muPixels is null)
        {
            using var centred = x.sub(_mu);
            using var scaled = centred.mul(r);
            return scaled.add(_mu);
        }
        else
        {
            using var centred = x.sub(_muPixels);
            using var scaled = centred.mul(r);
            return scaled.add(_muPixels);
        }
    }

    /// <inheritdoc />
    public torch.Tensor Forward(torch.Tensor scaledSample, double timestep, torch.Tensor? classLabels) =>
        Forward(scaledSample, NoiseLevel.FromTimestep(timestep, _config), classLabels);

    /// <inheritdoc />
    public torch.Tensor Forward(torch.Tensor scaledSample, StepScalars step, torch.Tensor? classLabels) =>
        Forward(scaledSample, NoiseLevel.FromStep(step, _config), classLabels);

    private torch.Tensor Forward(torch.Tensor scaledSample, NoiseLevel level, torch.Tensor? classLabels)
    {
        Checks.Sample(Identity, scaledSample, _device, SampleShape);
        Checks.NoLabels(Identity, classLabels);
        torch.Tensor output;
        using (torch.NewDisposeScope())
        {
            var x = level.Unscale(scaledSample);
            var f = ConsistencyFunction(x, level.Sigma);
            output = level.RawOutput(f, x, scaledSample.dtype).MoveToOuterDisposeScope();
        }
        return ModelConvention.CheckOutput(Identity, scaledSample, output);
    }

    /// <inheritdoc />
    public void Dispose() => _muPixels?.Dispose();

    private static double CheckS(double s) =>
        double.IsFinite(s) && s > 0 ? s : throw new ArgumentOutOfRangeException(nameof(s), s, "s must be finite and > 0");
}
