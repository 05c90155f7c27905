using Cm.Cli.Commands;
using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Sampling;
using LanguageExt;

namespace Cm.Cli.Sampling;

/// <summary>
/// The sampling request <c>cm sample</c>'s options describe for a loaded model: one home for the step from options to
/// request, shared by the single-process run and the sharded run (which then validate it into their plans).
/// </summary>
public static class SampleRequests
{
    /// <summary>The request for <paramref name="batch"/> samples of <paramref name="model"/>, labels parsed from <c>--class-labels</c>.</summary>
    public static Fin<SamplingRequest> For(SampleSettings s, ValidConfig config, TimestepSpec spec, int batch, LoadedModel model, DeviceSpec device) =>
        LabelOption.Parse(s.ClassLabels, model.Classes, s.Model).Map(labels => new SamplingRequest(
            config, spec, batch, Shape.Of(model.ItemShape),
            new NoiseSpec(s.Noise == NoiseOption.Philox ? NoiseKind.Philox : NoiseKind.Torch, s.Seed),
            labels, device));
}
