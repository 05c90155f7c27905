using System.Diagnostics.Contracts;
using Cm.Pure.Errors;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Editing;

/// <summary>
/// Zero-shot editing (Song et al. 2023, Algorithm 4) in openai's convention (<c>cm/karras_diffusion.py</c>,
/// <c>iterative_inpainting</c> / <c>_colorization</c> / <c>_superres</c>), as pure functions:
/// <code>
/// y'  = PREPROCESS(y)
/// x   = f32(z·t_max)                       (x_T, the first draw; openai's karras_sample)
/// for i in 0 .. len(ts) − 2:
///     x0 = clamp(f(x, f32(t(ts[i]))), −1, 1)
///     x0 = REPLACE(y', x0)
///     x  = x0 + f32(z_i·f32(√(next_t² − t_min²)))      next_t = clip(t(ts[i+1]), t_min, t_max)
/// return x                                   (not clamped)
/// </code>
/// The model f is a denoiser (x, σ) → x0, the consistency function itself with its boundary-condition
/// scalings. Where this differs from the paper (mask polarity, clamp, trailing noise, x_T not centred on y):
/// docs/editing.md.
/// </summary>
public static class EditLoop
{
    /// <summary>The model of the openai convention: (x, σ as float32) → x0, or why it failed.</summary>
    public delegate Fin<Tensor<float>> Denoiser(Tensor<float> x, float sigma);

    /// <summary>
    /// One step after the model call: clamp (when <paramref name="clamp"/>), replace, add the noise.
    /// </summary>
    [Pure]
    public static Fin<EditStep> Step(EditStepScalars scalars, Replacement replacement, bool clamp, Tensor<float> processed,
        Tensor<float> xIn, Tensor<float> modelOutput, Tensor<float> noise)
    {
        if (!modelOutput.Shape.Equals(xIn.Shape))
            return FinFail<EditStep>(new ShapeMismatch("model output", xIn.Shape.ToString(), modelOutput.Shape.ToString()));
        if (!noise.Shape.Equals(xIn.Shape))
            return FinFail<EditStep>(new ShapeMismatch("noise", xIn.Shape.ToString(), noise.Shape.ToString()));
        var clamped = clamp
            ? Tensor<float>.Create(modelOutput.Shape, modelOutput, static (dst, m) => EditKernel.Clamp(m.Data, dst))
            : modelOutput;
        return Replacements.Replace(replacement, processed, clamped).Map(replaced =>
            new EditStep(scalars, xIn, modelOutput, clamped, replaced, noise,
                Tensor<float>.Create(replaced.Shape, (replaced, noise, scalars.NoiseScaleF32), static (dst, a) =>
                    EditKernel.AddNoise(a.replaced.Data, a.noise.Data, a.NoiseScaleF32, dst))));
    }

    /// <summary>
    /// x_T = f32(z·t_max) with z the source's next draw of the reference's shape (openai's karras_sample; t_max is
    /// σ_max, so this is <see cref="InitialLatents"/>), and the source after it.
    /// </summary>
    [Pure]
    public static Fin<(Tensor<float> XT, INoise Next)> InitialSample(KarrasEditSchedule schedule, Shape shape, INoise noise) =>
        InitialLatents.Draw(noise, schedule.TMax, shape).Map(d => (d.Sample, d.Next));

    /// <summary>
    /// A whole edit from a noise source: x_T is its first draw, then one draw per step. openai's functions
    /// with <paramref name="clamp"/> = true; with an all-unknown <see cref="Replacement.Inpaint"/> mask and
    /// <paramref name="clamp"/> = false it is openai's plain <c>stochastic_iterative_sampler</c>.
    /// </summary>
    [Pure]
    public static Fin<EditRun> Run(KarrasEditSchedule schedule, Replacement replacement, Tensor<float> reference,
        INoise noise, Denoiser model, bool clamp = true) =>
        from processed in Replacements.Preprocess(replacement, reference)
        from start in InitialSample(schedule, reference.Shape, noise)
        from run in Loop(schedule, replacement, clamp, processed, start.XT, start.Next, model)
        select run;

    /// <summary>The loop from a given x (openai's <c>x</c> argument) and processed reference.</summary>
    [Pure]
    public static Fin<EditRun> Loop(KarrasEditSchedule schedule, Replacement replacement, bool clamp,
        Tensor<float> processed, Tensor<float> x, INoise noise, Denoiser model) =>
        schedule.StepScalars().Fold(
            FinSucc((X: x, Noise: noise, Steps: Seq<EditStep>())),
            (acc, sc) => acc.Bind(a =>
                from output in model(a.X, sc.SigmaIn)
                from draw in a.Noise.Draw32(a.X.Shape)
                from step in Step(sc, replacement, clamp, processed, a.X, output, draw.Values)
                select (step.XOut, draw.Next, a.Steps.Add(step))))
        .Map(r => new EditRun(processed, x, r.Steps, r.X));
}
