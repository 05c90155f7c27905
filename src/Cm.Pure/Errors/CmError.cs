using LanguageExt;
using LanguageExt.Common;

namespace Cm.Pure.Errors;

/// <summary>
/// Base of every error Cm returns as a value. Each kind has a stable <see cref="Error.Code"/> so
/// callers (and the CLI's exit codes) can match on it; the message says what was wrong and what
/// is allowed.
/// </summary>
public abstract record CmError(string Message, int Code) : Expected(Message, Code, Option<Error>.None)
{
    /// <summary>Codes of the invalid-input family (config, schedule, timestep, shape): 1000–1999.</summary>
    public static bool IsInvalidInput(Error e) => e.Code is >= 1000 and < 2000;

    /// <inheritdoc/>
    public override string ToString() => Message;
}
