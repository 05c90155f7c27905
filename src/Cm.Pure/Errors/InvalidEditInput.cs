namespace Cm.Pure.Errors;

/// <summary>
/// An editing input whose shape cannot be edited by the chosen task: e.g. super-resolution of an image that
/// is not square or whose side is not a multiple of the patch size, colorization of an image without 3
/// channels, or a reference whose shape differs from the sample's.
/// </summary>
public sealed record InvalidEditInput(string Reason)
    : CmError("invalid editing input: " + Reason, ErrorKind.InvalidInput, 1504);
