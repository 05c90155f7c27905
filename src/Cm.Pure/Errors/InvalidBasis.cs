namespace Cm.Pure.Errors;

/// <summary>A matrix given as the orthonormal basis (or projector) of an editing replacement that is not one.</summary>
public sealed record InvalidBasis(string Reason)
    : CmError("invalid editing basis: " + Reason, ErrorKind.InvalidInput, 1502);
