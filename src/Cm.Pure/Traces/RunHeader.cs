using System.Collections.Immutable;
using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Schedules.Arithmetic;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// What a sampling run claims to be: everything needed to recompute it except the model's outputs.
/// The first record of a trace.
/// </summary>
/// <param name="Config">The scheduler config (diffusers keys).</param>
/// <param name="Schedule">Steps or custom timesteps.</param>
/// <param name="Noise">Generator kind and seed.</param>
/// <param name="SampleShape">Shape of the whole batch, batch first.</param>
/// <param name="Dtype">"float32" (the runtime samples in float32).</param>
/// <param name="Device">Where the model and the step ran, e.g. "cpu" or "cuda:0".</param>
/// <param name="ClassLabels">Class labels per sample, if the model is class-conditional.</param>
/// <param name="Model">Model identity: "sha256:&lt;hex&gt;" of a model file, or an analytic model's name and parameters.</param>
/// <param name="LibraryVersion">Cm's version.</param>
public sealed record RunHeader(
    SchedulerConfig Config,
    TimestepSpec Schedule,
    NoiseSpec Noise,
    Shape SampleShape,
    string Dtype,
    string Device,
    Option<ImmutableArray<int>> ClassLabels,
    string Model,
    string LibraryVersion)
{
    /// <summary>
    /// The schedule arithmetic the run used (header key <c>schedule_math</c>); None for traces that name
    /// none (written before the key existed, or by the Python recorder): the verifier then tries each.
    /// </summary>
    public Option<ScheduleMath> ScheduleMath { get; init; }

    /// <summary>
    /// What an edit run replaced and with which reference (header key <c>edit</c>); None for sampling runs, whose
    /// headers stay byte for byte what they were before edits were traced.
    /// </summary>
    public Option<EditHeader> Edit { get; init; }
}
