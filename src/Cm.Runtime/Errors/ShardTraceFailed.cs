using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>A shard's audit trace that does not verify (<c>cm merge --verify</c>).</summary>
public sealed record ShardTraceFailed(string Manifest, string Trace, string Reason)
    : CmError($"{Manifest}: trace {Trace} does not verify: {Reason}", ErrorKind.InvalidInput, 1721);
