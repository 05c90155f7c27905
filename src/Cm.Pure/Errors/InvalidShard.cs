namespace Cm.Pure.Errors;

/// <summary>A shard request that names no shard: bad <c>--shard K/S</c> syntax, K outside 0..S−1, or a bad sample count.</summary>
public sealed record InvalidShard(string Reason) : CmError("invalid shard: " + Reason, ErrorKind.Usage, 1701);
