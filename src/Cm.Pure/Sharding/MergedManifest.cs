using System.Collections.Immutable;

namespace Cm.Pure.Sharding;

/// <summary>
/// The record of a merge: the run, every shard manifest (its file's SHA-256 and its outputs' hashes) and
/// the merged samples file's SHA-256, so the whole run can be audited from one file.
/// </summary>
/// <param name="Run">The run identity all shards share.</param>
/// <param name="Shards">The shard manifests in shard order, each with the SHA-256 of its file.</param>
/// <param name="Output">The merged samples file.</param>
public sealed record MergedManifest(RunIdentity Run, ImmutableArray<(string ManifestSha256, ShardManifest Manifest)> Shards, ShardOutput Output);
