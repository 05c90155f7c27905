using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;

namespace Cm.Runtime.Sampling;

/// <summary>
/// One sampling run as data (diffusers' <c>ConsistencyModelPipeline.__call__</c> arguments): config and
/// schedule, batch and item shape, noise, labels and device.
/// </summary>
/// <param name="Config">The validated scheduler config.</param>
/// <param name="Schedule">Steps or custom timesteps.</param>
/// <param name="Batch">Number of samples (≥ 1).</param>
/// <param name="ItemShape">Shape of one sample, e.g. [C, H, W].</param>
/// <param name="Noise">Generator kind and seed.</param>
/// <param name="Labels">Class labels.</param>
/// <param name="Device">Where to run the model and the step.</param>
public sealed record SamplingRequest(
    ValidConfig Config,
    TimestepSpec Schedule,
    int Batch,
    Shape ItemShape,
    NoiseSpec Noise,
    LabelSpec Labels,
    DeviceSpec Device)
{
    /// <summary>The shape of the whole batch: [Batch, ..ItemShape].</summary>
    public Shape BatchShape => Shape.Of([Batch, .. ItemShape.Dims]);
}
