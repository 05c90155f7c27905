using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// The reference of an edit run and, for inpainting, its mask as float32 0s and 1s: written inline in the
/// header of a trace with inline tensors, so that a verifier can redo every replacement.
/// </summary>
public sealed record EditData(float[] Reference, Option<float[]> Mask);
