using Cm.Pure.Tensors;
using Cm.Pure.Traces;

namespace Cm.Runtime.Editing;

/// <summary>A finished edit: the run header, the processed reference, the result (not clamped, as openai's) and the number of steps.</summary>
public sealed record EditResult(RunHeader Header, Tensor<float> Processed, Tensor<float> Result, int Steps);
