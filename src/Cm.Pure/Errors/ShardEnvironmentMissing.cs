namespace Cm.Pure.Errors;

/// <summary><c>--shard auto</c> found no job engine's index variables (or only part of them); the message lists what it looked for.</summary>
public sealed record ShardEnvironmentMissing(string Reason, string LookedFor)
    : CmError($"--shard auto: {Reason}. Looked for {LookedFor}. Run under a job array or MPI launcher, or give --shard K/S", ErrorKind.Usage, 1702);
