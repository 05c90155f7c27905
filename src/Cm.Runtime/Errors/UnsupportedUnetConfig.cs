using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>
/// A <c>unet/config.json</c> field whose value Cm cannot build (or a malformed one): the network would
/// otherwise differ silently from diffusers'. Names the field and its value.
/// </summary>
public sealed record UnsupportedUnetConfig(string Path, string Field, string Value, string Reason)
    : CmError($"unet config '{Path}': field '{Field}' = {Value}: {Reason}", ErrorKind.InvalidInput, 1601);
