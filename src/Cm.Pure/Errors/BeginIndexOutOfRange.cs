namespace Cm.Pure.Errors;

/// <summary>A begin index outside the schedule.</summary>
public sealed record BeginIndexOutOfRange(int BeginIndex, int Steps)
    : CmError($"begin index {BeginIndex} is outside the schedule: it must be in 0..{Steps - 1}", ErrorKind.InvalidInput, 1007);
