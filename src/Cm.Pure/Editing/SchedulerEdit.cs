using System.Diagnostics.Contracts;
using Cm.Pure.Errors;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Editing;

/// <summary>The outcome of one editing step in Cm's scheduler convention.</summary>
/// <param name="Next">The scheduler state after the step (index + 1, noise source after its draw).</param>
/// <param name="Denoised">f = c_skip·x + c_out·F, clamped when the config says <c>clip_denoised</c>.</param>
/// <param name="Replaced">The replaced estimate.</param>
/// <param name="Noise">The draw, when the schedule draws noise.</param>
/// <param name="Sample">The next sample.</param>
/// <param name="Scalars">The step's scalars.</param>
public sealed record SchedulerEditStep(
    SchedulerState Next, Tensor<float> Denoised, Tensor<float> Replaced, Option<Tensor<float>> Noise, Tensor<float> Sample, StepScalars Scalars);

/// <summary>
/// Zero-shot editing (Song et al. 2023, Algorithm 4) in Cm's own convention: the schedule, scalings and
/// noise of a diffusers <c>CMStochasticIterativeScheduler</c> state (<see cref="Scheduler"/>), with the
/// replacement between the denoised estimate and the noise. The model is the raw network F (called on
/// the scaled input at diffusers' timestep), the clamp is the config's <c>clip_denoised</c> (diffusers'
/// default true, which is openai's clamp), and the last step of a multi-step schedule adds noise at
/// σ_min level √(σ_min² − σ_min²) = 0 instead of openai's 1e-10. With an all-unknown mask this is
/// <see cref="Scheduler.Step{T}(SchedulerState, Tensor{T}, Timestep, Tensor{T})"/> bit for bit.
/// </summary>
public static class SchedulerEdit
{
    /// <summary>One step: denoise (c_skip, c_out, clamp as configured), replace, add the scheduler's noise.</summary>
    [Pure]
    public static Fin<SchedulerEditStep> Step(SchedulerState state, Replacement replacement, Tensor<float> processed,
        Tensor<float> modelOutput, Timestep t, Tensor<float> sample)
    {
        if (!modelOutput.Shape.Equals(sample.Shape))
            return FinFail<SchedulerEditStep>(new ShapeMismatch("model output", sample.Shape.ToString(), modelOutput.Shape.ToString()));
        var shape = sample.Shape;
        var n = shape.Count;
        var noise = new float[n];
        var denoised = new float[n];
        var scratch = new float[n];
        return from _ in Replacements.Check(replacement, shape)
               from __ in processed.Shape.Equals(shape)
                   ? FinSucc(unit)
                   : FinFail<Unit>(new ShapeMismatch("editing reference", shape.ToString(), processed.Shape.ToString()))
               from o in Scheduler.StepInto(state, t, shape, modelOutput.Data, sample.Data, noise, scratch, denoised)
               select Finish(o, replacement, processed, shape, noise, denoised);
    }

    private static SchedulerEditStep Finish(StepIntoOutcome o, Replacement replacement, Tensor<float> processed, Shape shape,
        float[] noise, float[] denoised)
    {
        var n = shape.Count;
        var replaced = new float[n];
        var next = new float[n];
        ReplaceAndAddNoise(o.Scalars, replacement, shape, processed.Data, denoised, o.NoiseDrawn ? noise : ReadOnlySpan<float>.Empty, replaced, next);
        return new SchedulerEditStep(o.Next, Tensor<float>.From(shape, denoised), Tensor<float>.From(shape, replaced),
            o.NoiseDrawn ? Some(Tensor<float>.From(shape, noise)) : None, Tensor<float>.From(shape, next), o.Scalars);
    }

    /// <summary>
    /// The step after the denoised estimate: replace (<see cref="Replacements.ReplaceInto"/>), then add the scheduler's
    /// noise (<see cref="EditKernel.AddSchedulerNoise"/>). The one home of that order, shared by <see cref="Step"/>, the
    /// tensor runtime's edit loop and the trace verifier. An empty <paramref name="noise"/> means none was drawn;
    /// <paramref name="next"/> may alias <paramref name="replaced"/>.
    /// </summary>
    public static void ReplaceAndAddNoise(in StepScalars s, Replacement replacement, Shape shape, ReadOnlySpan<float> processed,
        ReadOnlySpan<float> denoised, ReadOnlySpan<float> noise, Span<float> replaced, Span<float> next)
    {
        Replacements.ReplaceInto(replacement, shape, processed, denoised, replaced);
        EditKernel.AddSchedulerNoise(replaced, noise, s.SNoise, s.NoiseScale, next);
    }

    /// <summary>
    /// A whole step from the model output (shapes already checked, as a verifier has them): denoise with
    /// <see cref="StepKernel"/> (clamped when <paramref name="clip"/>), then <see cref="ReplaceAndAddNoise"/>.
    /// Writes the next sample into <paramref name="next"/>.
    /// </summary>
    public static void Apply(in StepScalars s, bool clip, Replacement replacement, Shape shape, ReadOnlySpan<float> processed,
        ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, ReadOnlySpan<float> noise, Span<float> next)
    {
        var denoised = new float[next.Length];
        StepKernel.Apply(s, clip, modelOutput, sample, ReadOnlySpan<float>.Empty, denoised, next);
        ReplaceAndAddNoise(s, replacement, shape, processed, denoised, noise, next, next);
    }

    /// <summary>The network of Cm's convention: (scaled input, diffusers timestep) → raw output F, or why it failed.</summary>
    public delegate Fin<Tensor<float>> Network(Tensor<float> scaledInput, double timestep);

    /// <summary>
    /// A whole edit in Cm's convention: x_T = σ_max·z from the state's noise, then for every scheduled timestep
    /// scale the input, call the network, and <see cref="Step"/>. Returns the processed reference and the result.
    /// </summary>
    [Pure]
    public static Fin<(Tensor<float> Processed, Tensor<float> Result)> Run(SchedulerState state, Replacement replacement,
        Tensor<float> reference, Network network) =>
        from processed in Replacements.Preprocess(replacement, reference)
        from start in InitialLatents.Draw(state, reference.Shape)
        from final in state.Schedule.Timesteps.Fold(
            FinSucc((State: start.Next, X: start.Sample)),
            (acc, t) => acc.Bind(a =>
                from scaled in Scheduler.ScaleModelInput(a.State, a.X, t)
                from output in network(scaled.Scaled, t)
                from step in Step(scaled.Next, replacement, processed, output, t, a.X)
                select (step.Next, step.Sample)))
        select (processed, final.X);
}
