using System.Collections.Immutable;
using LanguageExt;

namespace Cm.Pure.Sharding;

/// <summary>
/// What one shard claims (docs/scale-out.md): the run it belongs to, which shard it is, the samples it
/// computed, the batch size it used, and every file it wrote with its SHA-256. No clock, host or path
/// outside the folder: a shard run again writes the same manifest, byte for byte.
/// </summary>
/// <param name="Run">The run identity.</param>
/// <param name="Shard">K, from 0.</param>
/// <param name="Range">Its samples, [⌊K·N/S⌋, ⌊(K+1)·N/S⌋).</param>
/// <param name="Batch">The batch size it ran with (not part of the identity).</param>
/// <param name="Outputs">The samples file, then one trace per batch in order.</param>
public sealed record ShardManifest(RunIdentity Run, int Shard, SampleRange Range, int Batch, ImmutableArray<ShardOutput> Outputs)
{
    /// <summary>The samples file.</summary>
    public Option<ShardOutput> Samples => Outputs.Where(o => o.Role == ShardOutput.SamplesRole).HeadOrNone();

    /// <summary>The traces.</summary>
    public IEnumerable<ShardOutput> Traces => Outputs.Where(o => o.Role == ShardOutput.TraceRole);
}
