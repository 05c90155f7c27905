namespace Cm.Pure.Errors;

/// <summary>Two tensors that must agree in shape (or broadcast) do not.</summary>
public sealed record ShapeMismatch(string What, string Expected, string Found)
    : CmError($"shape mismatch for {What}: expected {Expected}, found {Found}", ErrorKind.InvalidInput, 1006);
