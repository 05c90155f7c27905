namespace Cm.Pure.Errors;

/// <summary>
/// A noise source could not give the draw asked for (recorded noise exhausted or of the wrong size, a
/// Philox counter at its end, a float64 draw from a float32-only source): a value, never an exception.
/// </summary>
public sealed record NoiseFailed(string Source, string Reason)
    : CmError($"noise source {Source} could not draw: {Reason}", ErrorKind.RunFailure, 1881);
