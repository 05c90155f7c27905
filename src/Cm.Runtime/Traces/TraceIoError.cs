using Cm.Pure.Errors;

namespace Cm.Runtime.Traces;

/// <summary>A trace could not be written: the file, what was being done, and the operating system's reason.</summary>
public sealed record TraceIoError(string Path, string Doing, string Reason)
    : CmError($"trace {Path}: {Doing}: {Reason}", ErrorKind.RunFailure, 3002);
