using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>SHA-256 (lowercase hex) of a step's tensors as float32 little-endian bytes; no noise hash when none was drawn.</summary>
public sealed record StepHashes(string Sample, string ModelOutput, Option<string> Noise, string NextSample);
