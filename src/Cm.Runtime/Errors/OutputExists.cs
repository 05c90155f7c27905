using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>An output path that already holds a file, and overwriting was not asked for. The file is left untouched.</summary>
public sealed record OutputExists(string Path)
    : CmError($"'{Path}' already exists and was left untouched: choose another path, or allow overwriting (cm: --force)", ErrorKind.InvalidInput, 1103);
