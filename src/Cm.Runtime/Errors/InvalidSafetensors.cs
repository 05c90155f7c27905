using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>A file that is not a well-formed safetensors file (header, dtypes, offsets); says what is wrong.</summary>
public sealed record InvalidSafetensors(string Path, string Reason)
    : CmError($"'{Path}' is not a valid safetensors file: {Reason}", ErrorKind.InvalidInput, 1610);
