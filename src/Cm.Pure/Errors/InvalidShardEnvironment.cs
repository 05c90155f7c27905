namespace Cm.Pure.Errors;

/// <summary><c>--shard auto</c> found engine variables that are malformed or contradict each other (or <c>--shards</c>).</summary>
public sealed record InvalidShardEnvironment(string Reason, string LookedFor)
    : CmError($"--shard auto: {Reason}. Variables looked for: {LookedFor}", ErrorKind.Usage, 1703);
