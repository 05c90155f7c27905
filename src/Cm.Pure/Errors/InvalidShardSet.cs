namespace Cm.Pure.Errors;

/// <summary>
/// Shard manifests that do not make one run: different run identities, or shards that are missing,
/// duplicated or overlapping, or claim samples their index does not own. Every problem is listed.
/// </summary>
public sealed record InvalidShardSet(IReadOnlyList<string> Problems)
    : CmError("the shards do not make one complete run:\n  " + string.Join("\n  ", Problems), ErrorKind.InvalidInput, 1711);
