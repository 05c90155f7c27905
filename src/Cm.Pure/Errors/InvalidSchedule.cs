namespace Cm.Pure.Errors;

/// <summary>
/// A schedule request that diffusers would crash on or accept as nonsense: a step count outside
/// 1..N, an empty, non-descending, too large or negative custom timestep list.
/// </summary>
public sealed record InvalidSchedule(string Reason)
    : CmError("invalid schedule: " + Reason, ErrorKind.InvalidInput, 1002);
