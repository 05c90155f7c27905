using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>An output path whose folder does not exist (or is not a folder): invalid input, checked before any work.</summary>
public sealed record OutputNotWritable(string Path, string Reason)
    : CmError($"cannot write '{Path}': {Reason}", ErrorKind.InvalidInput, 1104);
