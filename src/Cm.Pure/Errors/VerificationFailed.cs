using Cm.Pure.Traces;
using Cm.Pure.Verification;

namespace Cm.Pure.Errors;

/// <summary>
/// A check failed, and which level's check it was: an edit is reported by the weakest level that can see
/// it (a resealed chain with a changed seed fails at <c>seeded</c>; a changed model name only at
/// <c>signed</c> or <c>replayed</c>).
/// </summary>
public sealed record VerificationFailed(VerificationLevel Level, TraceFailure Failure)
    : CmError($"failed at level {Level.Name()}: {Failure.Message}", ErrorKind.InvalidInput, 1801)
{
    /// <inheritdoc/>
    public override string ToString() => Message;
}
