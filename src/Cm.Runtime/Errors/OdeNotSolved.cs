using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>
/// The probability-flow ODE of an analytic model could not be solved: its start point is not finite, its step
/// size collapsed, or it ran past the iteration bound. A run failure reported at once instead of a hang.
/// </summary>
public sealed record OdeNotSolved(string Reason)
    : CmError("the probability-flow ODE solve failed: " + Reason, ErrorKind.RunFailure, 1887);
