namespace Cm.Pure.Errors;

/// <summary>An editing mask that is not a tensor of 0s and 1s of the image's shape.</summary>
public sealed record InvalidMask(string Reason)
    : CmError("invalid editing mask: " + Reason + " (a mask holds 1 where the reference is kept and 0 where the model generates)",
        ErrorKind.InvalidInput, 1501);
