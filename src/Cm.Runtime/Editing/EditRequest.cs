using Cm.Pure.Editing;
using Cm.Pure.Tensors;
using Cm.Runtime.Sampling;

namespace Cm.Runtime.Editing;

/// <summary>
/// One zero-shot edit to run: a sampling request (config, schedule, noise, batch and item shape, labels,
/// device) plus the replacement and the reference images <c>[B, C, H, W]</c> (the request's batch shape).
/// </summary>
public sealed record EditRequest(SamplingRequest Sampling, Replacement Replacement, Tensor<float> Reference);
