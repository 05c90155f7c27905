using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// One step of a run, with every intermediate value: the same value whichever layer produced it (the
/// pure scheduler or the tensor runtime), so a step can be proved by recomputing it from its inputs.
/// </summary>
/// <param name="Scalars">Index, timestep, σ, σ_next, σ̂, noise scale, c_skip, c_out, input divisor.</param>
/// <param name="NoisePosition">The noise source before this step's draw (<see cref="Noise.INoise.Describe"/>).</param>
/// <param name="Sample">The sample the step started from.</param>
/// <param name="ModelOutput">The model's output F(x/divisor, t).</param>
/// <param name="Noise">The standard normals drawn (none on a one-step schedule).</param>
/// <param name="Denoised">f = c_skip·x + c_out·F, clamped when configured.</param>
/// <param name="NextSample">The step's result.</param>
public sealed record StepRecord(
    StepScalars Scalars,
    string NoisePosition,
    Tensor<float> Sample,
    Tensor<float> ModelOutput,
    Option<Tensor<float>> Noise,
    Tensor<float> Denoised,
    Tensor<float> NextSample);
