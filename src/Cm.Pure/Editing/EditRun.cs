using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Editing;

/// <summary>One step of an edit, every intermediate value kept (golden editing README, STEP fields).</summary>
/// <param name="Scalars">The step's scalars.</param>
/// <param name="XIn">The model's input x.</param>
/// <param name="ModelOutput">The model's estimate x0 (before the clamp).</param>
/// <param name="Clamped">x0 after the clamp (equal to the model output when the edit does not clamp).</param>
/// <param name="Replaced">The replaced estimate.</param>
/// <param name="Noise">The step's draw.</param>
/// <param name="XOut">The step's result: Replaced + f32(Noise·scale).</param>
public sealed record EditStep(
    EditStepScalars Scalars, Tensor<float> XIn, Tensor<float> ModelOutput, Tensor<float> Clamped,
    Tensor<float> Replaced, Tensor<float> Noise, Tensor<float> XOut);

/// <summary>A finished openai-convention edit: the processed reference, x_T, the steps and the result (not clamped).</summary>
public sealed record EditRun(Tensor<float> Processed, Tensor<float> XT, Seq<EditStep> Steps, Tensor<float> Final);
