using LanguageExt;
using LanguageExt.Common;

namespace Cm.Pure.Errors;

/// <summary>
/// Base of every error Cm returns as a value: a typed record with a <see cref="Kind"/> and a stable
/// <see cref="Error.Code"/>. The message says what was wrong and how to fix it. Only the CLI maps kinds to
/// exit codes; nothing below it knows about processes.
/// </summary>
public abstract record CmError(string Message, ErrorKind Kind, int Code) : Expected(Message, Code, Option<Error>.None)
{
    /// <summary>The kind of any error: a <see cref="CmError"/>'s own; anything else (an exception that escaped) is a run failure.</summary>
    public static ErrorKind KindOf(Error e) => e is CmError c ? c.Kind : ErrorKind.RunFailure;

    /// <inheritdoc/>
    public override string ToString() => Message;
}
