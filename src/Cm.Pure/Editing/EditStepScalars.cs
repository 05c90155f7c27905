using System.Diagnostics.Contracts;

namespace Cm.Pure.Editing;

/// <summary>
/// Every scalar of one openai-convention editing step, computed once.
/// </summary>
/// <param name="Index">Loop index i.</param>
/// <param name="TsI">ts[i], the grid index of the model call.</param>
/// <param name="TsNext">ts[i + 1], the grid index of the noise level after it.</param>
/// <param name="T">t = t(ts[i]) in double (not clipped).</param>
/// <param name="SigmaIn">f32(t): what the model receives (openai's <c>t * ones(B)</c> in float32).</param>
/// <param name="NextTUnclipped">t(ts[i + 1]).</param>
/// <param name="NextT">clip(t(ts[i + 1]), t_min, t_max).</param>
/// <param name="NoiseScale">√(next_t² − t_min²) in double (Algorithm 4: x ~ N(x, (t_n² − ε²)I)).</param>
/// <param name="NoiseScaleF32">The noise scale rounded once to float32; the noise is x0 + f32(z·this).</param>
public readonly record struct EditStepScalars(
    int Index, int TsI, int TsNext, double T, float SigmaIn, double NextTUnclipped, double NextT, double NoiseScale, float NoiseScaleF32)
{
    /// <summary>The scalars of step <paramref name="i"/> of a schedule.</summary>
    [Pure]
    public static EditStepScalars At(KarrasEditSchedule s, int i)
    {
        var t = s.T(s.Ts[i]);
        var nextRaw = s.T(s.Ts[i + 1]);
        var next = Math.Min(Math.Max(nextRaw, s.TMin), s.TMax);
        var scale = Math.Sqrt(next * next - s.TMin * s.TMin);
        return new EditStepScalars(i, s.Ts[i], s.Ts[i + 1], t, (float)t, nextRaw, next, scale, (float)scale);
    }

    /// <summary>
    /// The step as a trace's step line records it (docs/trace-format.md, "Edit runs"): <c>timestep</c> t, <c>sigma</c>
    /// f32(t), <c>sigma_next</c> f32(t(ts[i+1])), <c>sigma_hat</c> f32(next_t), <c>noise_scale</c> the float32 scale,
    /// and, since openai's model is the denoiser itself called on x, <c>c_skip</c> 0, <c>c_out</c> 1 and
    /// <c>input_divisor</c> 1 (x0 is the model output). Every step draws noise (the last one at about 1e-10).
    /// </summary>
    [Pure]
    public Sampling.StepScalars Traced() =>
        new(Index, T, SigmaIn, (float)NextTUnclipped, (float)NextT, NoiseScaleF32, 0f, 1f, 1f, 1f, true);
}
