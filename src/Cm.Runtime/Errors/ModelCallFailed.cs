using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>A model with the right signature that failed while it ran (out of memory, a kernel error).</summary>
public sealed record ModelCallFailed(int Code, string Reason) : CmError(Reason, ErrorKind.RunFailure, Code);
