using Cm.Pure.Sharding;
using Cm.Runtime.Sampling;

namespace Cm.Runtime.Sharding;

/// <summary>
/// One shard of a run, as data: the whole run's request (its labels, if given, one per sample of the
/// run; its batch size ignored), the plan, which shard, the batch size, and where the files go.
/// </summary>
/// <param name="Run">The whole run's request (noise from sample 0).</param>
/// <param name="Plan">N samples over S shards.</param>
/// <param name="Shard">K of S.</param>
/// <param name="BatchSize">Samples per batch (does not change a sample; sets memory use and the number of traces).</param>
/// <param name="Folder">Folder for the shard's files (<see cref="ShardFiles"/>); it must exist.</param>
/// <param name="TraceTensors">Whether the traces carry every step's tensors.</param>
/// <param name="Force">Whether existing files may be replaced (a rerun after a failure).</param>
public sealed record ShardJob(SamplingRequest Run, ShardPlan Plan, ShardIndex Shard, int BatchSize, string Folder, bool TraceTensors, bool Force);
