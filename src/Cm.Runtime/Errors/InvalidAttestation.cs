using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>An attestation file that is missing, too large or unreadable (its content is checked by the verifier).</summary>
public sealed record InvalidAttestation(string Path, string Reason)
    : CmError($"attestation '{Path}': {Reason}", ErrorKind.InvalidInput, 1812);
