namespace Cm.Pure.Errors;

/// <summary>
/// The first thing wrong with an attestation checked against a trace: which field, what was expected and
/// what was found (e.g. <c>signatures</c>: a signature by a trusted key; none of 1 verifies).
/// </summary>
public sealed record AttestationFailure(string Field, string Expected, string Found)
    : CmError($"attestation: {Field}: expected {Expected}, found {Found}", ErrorKind.InvalidInput, 1820);
