using Cm.Pure.Sampling;
using Cm.Pure.Config;
using TorchSharp;

namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// <c>glyphs</c>: the exact consistency model of the glyph mixture p₀ = (1/10)·Σ_k N(μ_k, s²I), with μ_k the
/// digit images of <see cref="Glyphs"/> (16×16, one channel). Samples have shape <c>[N, 1, 16, 16]</c>.
/// </summary>
/// <remarks>
/// <para><b>Class-conditional</b> (labels given): the data of class k are N(μ_k, s²I), whose consistency function
/// is closed-form (see <see cref="GaussianModel"/>): f_k(x, σ) = μ_k + (x − μ_k)·√(s² + σ_min²)/√(s² + σ²).</para>
/// <para><b>Unconditional</b> (labels null): f(x, σ) is the end point at σ_min of the probability-flow ODE
/// dx/dσ = (x − D(x, σ))/σ through (x, σ), with D the exact posterior mean of the mixture
/// (<see cref="GaussianMixture"/>), integrated by <see cref="ProbabilityFlowOde"/> (Dormand–Prince 5(4),
/// per-sample adaptive steps) to the tolerance <see cref="Tolerance"/> (default rtol = atol = 10⁻⁶).</para>
/// <para>σ_min is the sampler's float32 f(σ_min); the output is F = (f − c_skip·x)/c_out (<see cref="NoiseLevel"/>).</para>
/// <para><b>Defaults</b>: s = <see cref="DefaultS"/> = 0.1, small against the closest glyph pair (distance 4.85), so
/// the ten modes are well separated (a sample lies ≈ s·√256 = 1.6 from its centre).</para>
/// <para><b>Cost</b> of an unconditional call from σ_max = 80: about 50–100 solver iterations of 6 batched
/// denoiser evaluations (one [N, 256]×[256, 10] product each, float64); see <see cref="LastStats"/>.</para>
/// </remarks>
public sealed class GlyphsModel : IAnalyticModel
{
    /// <summary>Default component standard deviation s = 0.1.</summary>
    public const double DefaultS = 0.1;

    private readonly ValidConfig _config;
    private readonly torch.Device _device;
    private readonly GaussianMixture _mixture;
    private readonly long[] _sampleShape;

    /// <summary>The glyph mixture with standard deviation <paramref name="s"/>, solved to <paramref name="tolerance"/>.</summary>
    public GlyphsModel(ValidConfig config, torch.Device device, double s = DefaultS, OdeTolerance? tolerance = null)
        : this("glyphs", Glyphs.Centres64, Glyphs.SampleShape, Glyphs.Version, config, device, s, tolerance)
    {
    }

    /// <summary>
    /// The same mathematics over other glyph images (e.g. <see cref="ColorGlyphs"/>): <paramref name="centres"/>
    /// gives the K flattened images <c>[K, C·H·W]</c>, <paramref name="sampleShape"/> their <c>[C, H, W]</c>.
    /// </summary>
    internal GlyphsModel(string name, Func<torch.Device, torch.Tensor> centres, long[] sampleShape, string version,
        ValidConfig config, torch.Device device, double s, OdeTolerance? tolerance)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _sampleShape = sampleShape;
        Tolerance = tolerance ?? OdeTolerance.Default;
        using (var c = centres(device)) _mixture = new GaussianMixture(c, s, device);
        Identity = Analytic.Identity.Of(name,
            ("k", Glyphs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("size", Glyphs.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("images", version), ("s", Analytic.Identity.Num(s)),
            ("sigma_min", Analytic.Identity.Num(config.SigmaMin)), ("sigma_data", Analytic.Identity.Num(config.SigmaData)),
            ("ode", "dopri5-per-sample"), ("rtol", Analytic.Identity.Num(Tolerance.Rtol)), ("atol", Analytic.Identity.Num(Tolerance.Atol)));
    }

    /// <inheritdoc />
    public string Identity { get; }

    /// <summary>The ODE tolerance of unconditional calls.</summary>
    public OdeTolerance Tolerance { get; }

    /// <summary>The mixture (centres, s, denoiser).</summary>
    public GaussianMixture Mixture => _mixture;

    /// <summary>The component standard deviation s.</summary>
    public double S => _mixture.S;

    /// <summary>σ_min as the sampler uses it: the float32 f(σ_min), widened.</summary>
    public double SigmaMin => (float)_config.SigmaMin;

    /// <summary>The cost of the last unconditional call (diagnostics; not synchronised between threads).</summary>
    public OdeStats LastStats { get; private set; }

    /// <inheritdoc />
    public long[]? SampleShape => _sampleShape;

    /// <inheritdoc />
    public int ClassCount => Glyphs.Count;

    /// <inheritdoc />
    public bool IsExact => true;

    /// <summary>
    /// f(x, σ) for an unscaled float64 sample <paramref name="x"/> <c>[N, C, 16, 16]</c>: closed form per class when
    /// <paramref name="labels"/> are given, else the ODE solution. Returns a new float64 tensor.
    /// </summary>
    public torch.Tensor ConsistencyFunction(torch.Tensor x, double sigma, torch.Tensor? labels)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = torch.NewDisposeScope();
        var flat = x.reshape(x.shape[0], -1);
        torch.Tensor f;
        if (labels is not null)
            f = _mixture.ConsistencyGiven(flat, sigma, SigmaMin, labels);
        else
        {
            var (end, stats) = ProbabilityFlowOde.Solve(_mixture.Denoise, flat, sigma, SigmaMin, Tolerance);
            LastStats = stats;
            f = end;
        }
        return f.reshape(x.shape).MoveToOuterDisposeScope();
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
        torch.Tensor output;
        using (torch.NewDisposeScope())
        {
            if (classLabels is not null) Checks.Labels(Identity, scaledSample, classLabels, ClassCount);
            if (level.COut == 0f)
                output = torch.zeros_like(scaledSample).MoveToOuterDisposeScope();
            else
            {
                var x = level.Unscale(scaledSample);
                var f = ConsistencyFunction(x, level.Sigma, classLabels);
                output = level.RawOutput(f, x, scaledSample.dtype).MoveToOuterDisposeScope();
            }
        }
        return ModelConvention.CheckOutput(Identity, scaledSample, output);
    }

    /// <inheritdoc />
    public void Dispose() => _mixture.Dispose();
}
