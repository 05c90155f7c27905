using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>A shard output whose bytes are not what its manifest recorded (changed, truncated or from another run).</summary>
public sealed record ShardOutputMismatch(string Manifest, string File, string Reason)
    : CmError($"{Manifest}: {File}: {Reason}; rerun that shard (its manifest names it) or restore the file", ErrorKind.InvalidInput, 1720);
