using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>
/// Writing an output failed while running (disk full, permissions changed): a run failure, not an input error.
/// Any existing file at the path is untouched.
/// </summary>
public sealed record WriteFailed(string Path, string Reason)
    : CmError($"writing '{Path}' failed: {Reason}; any existing file there is untouched", ErrorKind.RunFailure, 2101);
