using System.Collections.Immutable;

namespace Cm.Pure.Sharding;

/// <summary>
/// Shard manifests checked to make one complete run (<see cref="MergeValidation.Check"/>): one identity,
/// every shard 0..S−1 exactly once, each on its own range, so their ranges tile [0, N) in shard order.
/// </summary>
/// <param name="Run">The identity every shard shares.</param>
/// <param name="Shards">The manifests in shard order, with the names they were read from.</param>
public sealed record ShardSet(RunIdentity Run, ImmutableArray<(string Name, ShardManifest Manifest)> Shards);
