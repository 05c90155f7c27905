using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>An image file that cannot be used: missing, unreadable, not a PNG, corrupt, or of the wrong kind for the task.</summary>
public sealed record InvalidImage(string Path, string Reason)
    : CmError($"image '{Path}': {Reason}", ErrorKind.InvalidInput, 1510);
