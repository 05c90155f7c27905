namespace Cm.Pure.Editing;

/// <summary>
/// The elementwise arithmetic of an editing step around the replacement, each operation rounded on its own
/// (no FMA), as openai's float32 tensor code does it.
/// </summary>
public static class EditKernel
{
    /// <summary>
    /// clamp(x, −1, 1) as PyTorch's <c>clamp</c>: NaN stays NaN, −0 stays −0. openai clamps the model's
    /// estimate before the replacement (golden editing README, quirk 4); Algorithm 4 does not.
    /// </summary>
    public static void Clamp(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var v = source[i];
            destination[i] = v < -1f ? -1f : v > 1f ? 1f : v;
        }
    }

    /// <summary>
    /// openai's noise update x = x0 + f32(z·f32(scale)) (Algorithm 4: x ~ N(x0, (t_n² − ε²)I)): one float32
    /// product, one float32 sum. <paramref name="destination"/> may alias either input.
    /// </summary>
    public static void AddNoise(ReadOnlySpan<float> x0, ReadOnlySpan<float> noise, float scale, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++) destination[i] = x0[i] + noise[i] * scale;
    }

    /// <summary>
    /// Cm's (diffusers') noise update after a replacement: x = x0 + (z·f(s_noise))·scale, or x0 + 0·scale
    /// when the step draws no noise, exactly as <see cref="Sampling.StepKernel"/> forms it, so an identity
    /// replacement gives the sampler's bits. An empty <paramref name="noise"/> means none was drawn.
    /// </summary>
    public static void AddSchedulerNoise(ReadOnlySpan<float> x0, ReadOnlySpan<float> noise, float sNoise, float scale, Span<float> destination)
    {
        var has = !noise.IsEmpty;
        for (var i = 0; i < destination.Length; i++)
        {
            var z = has ? noise[i] * sNoise : 0f;
            destination[i] = x0[i] + z * scale;
        }
    }
}
