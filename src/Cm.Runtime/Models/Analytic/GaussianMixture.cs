using TorchSharp;

namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// An equally weighted mixture of K isotropic Gaussians p₀(x₀) = (1/K)·Σ_k N(x₀; μ_k, s²I) in D dimensions,
/// with its exact posterior-mean denoiser and per-component consistency functions, as float64 tensor
/// operations on the centres' device. Samples are flattened: x is <c>[N, D]</c>.
/// </summary>
/// <remarks>
/// <para><b>Noised density.</b> x = x₀ + σz gives p_σ(x) = (1/K)·Σ_k N(x; μ_k, v·I) with v = s² + σ².</para>
/// <para><b>Posterior weights.</b> w_k(x, σ) = P(k | x) = softmax_k(ℓ_k) with ℓ_k = −‖x − μ_k‖²/(2v): the
/// normalising constants (2πv)^(−D/2) and the prior 1/K are the same for every k and cancel. ‖x − μ_k‖² is
/// computed as ‖x‖² − 2x·μ_k + ‖μ_k‖² (clamped at 0) in float64, and the softmax subtracts the largest ℓ
/// first (log-sum-exp), so no weight overflows or underflows to NaN.</para>
/// <para><b>Denoiser.</b> Given k, x₀ | x ~ N(μ_k + (s²/v)(x − μ_k), (s²σ²/v)I) (Gaussian conditioning), so
/// D(x, σ) = E[x₀ | x] = Σ_k w_k·(μ_k + (s²/v)(x − μ_k)) = m + (s²/v)(x − m) with m = Σ_k w_k μ_k.</para>
/// <para><b>Per-component consistency function</b> (as for <see cref="GaussianModel"/>):
/// f_k(x, σ) = μ_k + (x − μ_k)·√(s² + σ_min²)/√(s² + σ²).</para>
/// </remarks>
public sealed class GaussianMixture : IDisposable
{
    private readonly torch.Tensor _centres;     // [K, D] float64
    private readonly torch.Tensor _centresT;    // [D, K]
    private readonly torch.Tensor _centreNorms; // [K] ‖μ_k‖²

    /// <summary>A mixture with the given centres (<c>[K, D]</c>, copied as float64 onto <paramref name="device"/>) and standard deviation s.</summary>
    public GaussianMixture(torch.Tensor centres, double s, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(centres);
        ArgumentNullException.ThrowIfNull(device);
        if (centres.dim() != 2 || centres.shape[0] < 1 || centres.shape[1] < 1)
            throw new ArgumentException($"centres have shape [K, D], got [{string.Join(", ", centres.shape)}]", nameof(centres));
        if (!double.IsFinite(s) || s <= 0) throw new ArgumentOutOfRangeException(nameof(s), s, "s must be finite and > 0");
        S = s;
        _centres = centres.to(torch.float64).to(device).clone();
        _centresT = _centres.t().contiguous();
        _centreNorms = _centres.square().sum(1);
        K = (int)centres.shape[0];
        Dimension = centres.shape[1];
    }

    /// <summary>Number of components K.</summary>
    public int K { get; }

    /// <summary>Dimension D of a flattened sample.</summary>
    public long Dimension { get; }

    /// <summary>Component standard deviation s.</summary>
    public double S { get; }

    /// <summary>The centres μ, float64 <c>[K, D]</c> (owned by the mixture: do not dispose).</summary>
    public torch.Tensor Centres => _centres;

    /// <summary>Log-weights ℓ_k = −‖x − μ_k‖²/(2v), <c>[N, K]</c>, for <paramref name="variance"/> v of shape <c>[N, 1]</c> (or a scalar tensor).</summary>
    public torch.Tensor Logits(torch.Tensor x, torch.Tensor variance)
    {
        using var scope = torch.NewDisposeScope();
        var xx = x.square().sum(1, keepdim: true);                                   // [N, 1]
        var d2 = x.matmul(_centresT).mul_(-2.0).add_(xx).add_(_centreNorms).clamp_min_(0.0); // ‖x − μ_k‖², [N, K]
        return d2.div_(variance * -2.0).MoveToOuterDisposeScope();
    }

    /// <summary>Posterior weights w_k(x, σ), <c>[N, K]</c>, for noise levels <paramref name="sigma"/> <c>[N]</c>.</summary>
    public torch.Tensor Weights(torch.Tensor x, torch.Tensor sigma)
    {
        using var scope = torch.NewDisposeScope();
        return Logits(x, Variance(sigma)).softmax(1).MoveToOuterDisposeScope();
    }

    /// <summary>The posterior-mean denoiser D(x, σ) for per-sample noise levels <paramref name="sigma"/> (float64 <c>[N]</c>).</summary>
    public torch.Tensor Denoise(torch.Tensor x, torch.Tensor sigma)
    {
        using var scope = torch.NewDisposeScope();
        var v = Variance(sigma);                       // [N, 1]
        var w = Logits(x, v).softmax(1);               // [N, K]
        var m = w.matmul(_centres);                    // [N, D]
        var shrink = (S * S) / v;                      // [N, 1]
        return x.sub(m).mul_(shrink).add_(m).MoveToOuterDisposeScope();      // m + (s²/v)(x − m)
    }

    /// <summary>D(x, σ) at one noise level for the whole batch.</summary>
    public torch.Tensor Denoise(torch.Tensor x, double sigma)
    {
        using var s = torch.full(new[] { x.shape[0] }, sigma, dtype: torch.float64, device: x.device);
        return Denoise(x, s);
    }

    /// <summary>The class-conditional denoiser D_k(x, σ) = μ_k + (s²/(s² + σ²))(x − μ_k) for labels k (int64 <c>[N]</c>).</summary>
    public torch.Tensor DenoiseGiven(torch.Tensor x, double sigma, torch.Tensor labels) =>
        Shrink(x, labels, S * S / (S * S + sigma * sigma));

    /// <summary>The per-component consistency function f_k(x, σ) = μ_k + (x − μ_k)·√(s² + σ_min²)/√(s² + σ²).</summary>
    public torch.Tensor ConsistencyGiven(torch.Tensor x, double sigma, double sigmaMin, torch.Tensor labels) =>
        Shrink(x, labels, Math.Sqrt(S * S + sigmaMin * sigmaMin) / Math.Sqrt(S * S + sigma * sigma));

    /// <inheritdoc />
    public void Dispose()
    {
        _centres.Dispose();
        _centresT.Dispose();
        _centreNorms.Dispose();
    }

    private torch.Tensor Variance(torch.Tensor sigma)
    {
        using var sq = sigma.to(torch.float64).square();
        using var v = sq.add(S * S);
        return v.reshape(-1, 1);
    }

    private torch.Tensor Shrink(torch.Tensor x, torch.Tensor labels, double factor)
    {
        using var scope = torch.NewDisposeScope();
        var mu = _centres.index_select(0, labels);
        return (mu + factor * (x - mu)).MoveToOuterDisposeScope();
    }
}
