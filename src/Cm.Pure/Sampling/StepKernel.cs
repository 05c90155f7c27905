using System.Diagnostics.Contracts;

namespace Cm.Pure.Sampling;

/// <summary>
/// The elementwise arithmetic of one step (Algorithm 1, lines 3–5, as diffusers orders it). Writes only
/// into the destination spans it is given. Every operation is rounded on its own: no FMA, two products
/// and a sum for <c>denoised</c>, then a product and a sum for the noise. The clamp keeps NaN (PyTorch's
/// <c>clamp</c> does).
/// </summary>
public static class StepKernel
{
    /// <summary>
    /// float32 step: denoised = c_out·F + c_skip·x (clamped to [−1, 1] when <paramref name="clip"/>);
    /// next = denoised + (noise·f(s_noise))·scale. An empty <paramref name="noise"/> means no noise was
    /// drawn, and next = denoised + 0 (which turns −0 into +0, as diffusers' zeros do).
    /// <paramref name="denoised"/> may be empty when the caller does not want it.
    /// </summary>
    public static void Apply(
        in StepScalars s, bool clip,
        ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, ReadOnlySpan<float> noise,
        Span<float> denoised, Span<float> destination)
    {
        var n = destination.Length;
        CheckLengths(n, modelOutput.Length, sample.Length, noise.Length, denoised.Length);
        float cOut = s.COut, cSkip = s.CSkip, sNoise = s.SNoise, scale = s.NoiseScale;
        var keep = !denoised.IsEmpty;
        var hasNoise = !noise.IsEmpty;
        for (var k = 0; k < n; k++)
        {
            var d = cOut * modelOutput[k] + cSkip * sample[k];
            if (clip) d = Clamp(d);
            if (keep) denoised[k] = d;
            var z = hasNoise ? noise[k] * sNoise : 0f;
            destination[k] = d + z * scale;
        }
    }

    /// <summary>
    /// float64 step for a float64 sample: the float32 scalars are widened exactly, the arithmetic is in
    /// double, and z = noise·s_noise uses the unrounded constant <paramref name="sNoise"/>.
    /// </summary>
    public static void Apply(
        in StepScalars s, bool clip, double sNoise,
        ReadOnlySpan<double> modelOutput, ReadOnlySpan<double> sample, ReadOnlySpan<double> noise,
        Span<double> denoised, Span<double> destination)
    {
        var n = destination.Length;
        CheckLengths(n, modelOutput.Length, sample.Length, noise.Length, denoised.Length);
        double cOut = s.COut, cSkip = s.CSkip, scale = s.NoiseScale;
        var keep = !denoised.IsEmpty;
        var hasNoise = !noise.IsEmpty;
        for (var k = 0; k < n; k++)
        {
            var d = cOut * modelOutput[k] + cSkip * sample[k];
            if (clip) d = Clamp(d);
            if (keep) denoised[k] = d;
            var z = hasNoise ? noise[k] * sNoise : 0.0;
            destination[k] = d + z * scale;
        }
    }

    /// <summary>Model input: sample / divisor, a true division per element (float32).</summary>
    public static void ScaleInput(float divisor, ReadOnlySpan<float> sample, Span<float> destination)
    {
        if (sample.Length != destination.Length) throw new ArgumentException("sample and destination differ in length");
        for (var k = 0; k < sample.Length; k++) destination[k] = sample[k] / divisor;
    }

    /// <summary>Model input for a float64 sample: the float32 divisor widened exactly, division in double.</summary>
    public static void ScaleInput(float divisor, ReadOnlySpan<double> sample, Span<double> destination)
    {
        if (sample.Length != destination.Length) throw new ArgumentException("sample and destination differ in length");
        double d = divisor;
        for (var k = 0; k < sample.Length; k++) destination[k] = sample[k] / d;
    }

    /// <summary>clamp(x, −1, 1) that keeps NaN.</summary>
    [Pure]
    public static float Clamp(float x) => x < -1f ? -1f : x > 1f ? 1f : x;

    /// <summary>clamp(x, −1, 1) that keeps NaN.</summary>
    [Pure]
    public static double Clamp(double x) => x < -1.0 ? -1.0 : x > 1.0 ? 1.0 : x;

    private static void CheckLengths(int n, int mo, int x, int noise, int denoised)
    {
        if (mo != n || x != n || (noise != 0 && noise != n) || (denoised != 0 && denoised != n))
            throw new ArgumentException(
                $"step buffers differ in length: destination {n}, model output {mo}, sample {x}, noise {noise}, denoised {denoised}");
    }
}
