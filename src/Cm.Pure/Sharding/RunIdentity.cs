using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;

namespace Cm.Pure.Sharding;

/// <summary>
/// What makes shards parts of one run: everything that decides a sample's bytes, plus the split. Two shard
/// manifests belong together exactly when their identities serialise to the same canonical bytes
/// (<see cref="ManifestJson.Identity"/>), whose SHA-256 is the run id. The batch size, the device and the
/// host are not part of it: with Philox noise they do not change a sample.
/// </summary>
/// <param name="Config">The scheduler config (diffusers keys).</param>
/// <param name="Schedule">Steps or custom timesteps.</param>
/// <param name="Model">Model identity, as in trace headers ("sha256:…" of a file, or an analytic model's name and parameters).</param>
/// <param name="Noise">Generator kind and seed (first sample 0: the run starts at sample 0).</param>
/// <param name="Samples">N, the samples of the whole run.</param>
/// <param name="Shards">S, the shards it is split into.</param>
/// <param name="ItemShape">The shape of one sample, e.g. [1, 16, 16].</param>
/// <param name="Labels">"none", "random:&lt;classes&gt;" (drawn from the seed by global index) or "given:&lt;sha256 of the comma-separated list&gt;".</param>
/// <param name="Library">Cm's version.</param>
public sealed record RunIdentity(
    SchedulerConfig Config,
    TimestepSpec Schedule,
    string Model,
    NoiseSpec Noise,
    long Samples,
    int Shards,
    Shape ItemShape,
    string Labels,
    string Library)
{
    /// <summary>The dtype of every sample file ("float32").</summary>
    public const string Dtype = TraceFormat.Float32;
}
