using LanguageExt;
using LanguageExt.Common;

namespace Cm.Runtime.Errors;

/// <summary>
/// Writing an output failed while running (disk full, permissions changed). Not an input error, so
/// its code lies outside 1000–1999; any existing file at the path is untouched.
/// </summary>
public sealed record WriteFailed(string Path, string Reason)
    : Expected($"writing '{Path}' failed: {Reason}; any existing file there is untouched", 2101, Option<Error>.None)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
