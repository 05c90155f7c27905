using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>A diffusers model folder that is incomplete or malformed (a missing file, a bad model_index.json).</summary>
public sealed record InvalidModelFolder(string Folder, string Reason)
    : CmError($"model folder '{Folder}': {Reason}", ErrorKind.InvalidInput, 1620);
