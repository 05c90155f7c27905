using System.Diagnostics.Contracts;
using Cm.Pure.Config;
using Cm.Pure.Numerics;

namespace Cm.Pure.Scalings;

/// <summary>
/// The skip/output scalings of the consistency function (paper, Appendix C, eq. in §C "Parameterization")
/// and the EDM input scaling (Karras et al. 2022, Table 1). Float32 forms follow diffusers bit for bit:
/// every operation rounded in float32, constants rounded once first, c_skip as a rounded reciprocal
/// times σ_data² (golden README, "Scalings").
/// </summary>
public static class EdmScalings
{
    /// <summary>
    /// Boundary-condition scalings, so that c_skip(σ_min) = 1 and c_out(σ_min) = 0 exactly:
    /// c_skip = σ_d² / ((σ − σ_min)² + σ_d²), c_out = (σ − σ_min)·σ_d / √(σ² + σ_d²).
    /// </summary>
    [Pure]
    public static Scaling<float> BoundaryCondition(float sigma, ValidConfig c)
    {
        var sd2 = F32.SquareRounded(c.SigmaData);
        var d = sigma - F32.Round(c.SigmaMin);
        var cSkip = 1f / (d * d + sd2) * sd2;
        var cOut = d * F32.Round(c.SigmaData) / MathF.Sqrt(sigma * sigma + sd2);
        return new Scaling<float>(cSkip, cOut);
    }

    /// <summary>The boundary-condition scalings in float64, constants unrounded.</summary>
    [Pure]
    public static Scaling<double> BoundaryCondition(double sigma, ValidConfig c)
    {
        var sd2 = c.SigmaData * c.SigmaData;
        var d = sigma - c.SigmaMin;
        var cSkip = 1.0 / (d * d + sd2) * sd2;
        var cOut = d * c.SigmaData / Math.Sqrt(sigma * sigma + sd2);
        return new Scaling<double>(cSkip, cOut);
    }

    /// <summary>Plain EDM scalings (no σ_min shift): c_skip = σ_d²/(σ² + σ_d²), c_out = σ·σ_d/√(σ² + σ_d²).</summary>
    [Pure]
    public static Scaling<float> Edm(float sigma, ValidConfig c)
    {
        var sd2 = F32.SquareRounded(c.SigmaData);
        var cSkip = 1f / (sigma * sigma + sd2) * sd2;
        var cOut = sigma * F32.Round(c.SigmaData) / MathF.Sqrt(sigma * sigma + sd2);
        return new Scaling<float>(cSkip, cOut);
    }

    /// <summary>Plain EDM scalings in float64.</summary>
    [Pure]
    public static Scaling<double> Edm(double sigma, ValidConfig c)
    {
        var sd2 = c.SigmaData * c.SigmaData;
        var cSkip = 1.0 / (sigma * sigma + sd2) * sd2;
        var cOut = sigma * c.SigmaData / Math.Sqrt(sigma * sigma + sd2);
        return new Scaling<double>(cSkip, cOut);
    }

    /// <summary>
    /// The model-input divisor √(σ² + σ_d²) in float32 (EDM c_in = 1/√(σ² + σ_d²)); diffusers divides
    /// by it rather than multiplying by its reciprocal.
    /// </summary>
    [Pure]
    public static float InputDivisor(float sigma, ValidConfig c) =>
        MathF.Sqrt(sigma * sigma + F32.SquareRounded(c.SigmaData));

    /// <summary>
    /// The scale of the fresh noise added after a step, √(σ̂² − σ_min²) with σ̂ = clamp(σ_next, σ_min, σ_max)
    /// (Algorithm 1, line 5). In float32 f(σ_min)² is one ulp above f(σ_min²), so the last step of a
    /// default run still gets 6.743495646333031e-07 of noise, as in diffusers.
    /// </summary>
    [Pure]
    public static (float SigmaHat, float Scale) NoiseScale(float sigmaNext, ValidConfig c)
    {
        var hat = Math.Clamp(sigmaNext, F32.Round(c.SigmaMin), F32.Round(c.SigmaMax));
        return (hat, MathF.Sqrt(hat * hat - F32.SquareRounded(c.SigmaMin)));
    }
}
