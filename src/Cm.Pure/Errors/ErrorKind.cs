namespace Cm.Pure.Errors;

/// <summary>
/// What kind of failure an error is, from the caller's side. Only the CLI turns kinds into exit codes
/// (docs/cli.md); libraries match on the kind, or on the error's record type.
/// </summary>
public enum ErrorKind
{
    /// <summary>The input was wrong (a value, a file, a config, a trace that fails verification): fix the input.</summary>
    InvalidInput,

    /// <summary>The input was fine but running failed (a write, the model, the device): retry or investigate.</summary>
    RunFailure,

    /// <summary>The call itself was malformed (an unknown option, a value that does not parse, a missing argument).</summary>
    Usage,

    /// <summary>The run was stopped on request (Ctrl+C, SIGTERM, a cancellation token) at a step boundary.</summary>
    Cancelled,
}
