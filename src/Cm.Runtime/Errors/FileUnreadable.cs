using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>An input file that does not exist or cannot be read: invalid input, not a crash.</summary>
public sealed record FileUnreadable(string Path, string Reason)
    : CmError($"cannot read '{Path}': {Reason}", ErrorKind.InvalidInput, 1102);
