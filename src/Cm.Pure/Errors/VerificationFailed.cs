using Cm.Pure.Traces;
using Cm.Pure.Verification;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Errors;

/// <summary>
/// A check failed, and which level's check it was: an edit is reported by the weakest level that can see
/// it (a resealed chain with a changed seed fails at <c>seeded</c>; a changed model name only at
/// <c>signed</c> or <c>replayed</c>). The cause is a <see cref="TraceFailure"/> for the trace's own checks,
/// an <see cref="AttestationFailure"/> for the signature's.
/// </summary>
public sealed record VerificationFailed(VerificationLevel Level, CmError Cause)
    : CmError($"failed at level {Level.Name()}: {Cause.Message}", ErrorKind.InvalidInput, 1801)
{
    /// <summary>The cause when it is a failure inside the trace (line, step, field).</summary>
    public Option<TraceFailure> Trace => Cause is TraceFailure t ? Some(t) : None;

    /// <inheritdoc/>
    public override string ToString() => Message;
}
