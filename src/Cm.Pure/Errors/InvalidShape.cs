namespace Cm.Pure.Errors;

/// <summary>
/// A tensor shape that cannot be allocated: a negative size, or more elements than one .NET array holds
/// (<see cref="System.Array.MaxLength"/>), where an unchecked product would wrap to a wrong count.
/// </summary>
public sealed record InvalidShape(string Shape, string Reason)
    : CmError($"invalid shape {Shape}: {Reason}", ErrorKind.InvalidInput, 1880);
