namespace Cm.Pure.Errors;

/// <summary>
/// A step beyond the last scheduled timestep. diffusers fails one step late (or not at all,
/// depending on n and N); Cm stops at the end of the schedule.
/// </summary>
public sealed record StepPastEnd(int StepIndex, int Steps)
    : CmError($"step index {StepIndex} is past the end of a {Steps}-step schedule: the run is complete after {Steps} steps", ErrorKind.InvalidInput, 1005);
