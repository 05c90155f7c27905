using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>A step's tensors written inline, enough to recompute the step without the model.</summary>
public sealed record StepTensors(float[] Sample, float[] ModelOutput, Option<float[]> Noise, float[] NextSample);
