using System.Collections.Immutable;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;

namespace Cm.Runtime.Sampling;

/// <summary>A finished run: what it claimed to be, its final samples (in [-1, 1] for clipped configs) and labels.</summary>
public sealed record SamplingResult(RunHeader Header, Tensor<float> Samples, ImmutableArray<int> Labels, int Steps);
