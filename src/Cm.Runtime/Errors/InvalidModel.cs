using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>
/// A model that cannot be used as given: a missing, unreadable or corrupt file, an unknown name, a network whose
/// signature or output does not fit the sampler. Fix the model argument.
/// </summary>
public sealed record InvalidModel(int Code, string Reason) : CmError(Reason, ErrorKind.InvalidInput, Code);
