namespace Cm.Pure.Errors;

/// <summary>A schedule arithmetic name that is none of the known variants.</summary>
public sealed record UnknownScheduleMath(string Name, string Choices)
    : CmError($"unknown schedule arithmetic '{Name}': choose one of {Choices}", ErrorKind.InvalidInput, 1011);
