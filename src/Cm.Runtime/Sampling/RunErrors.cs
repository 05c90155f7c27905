using Cm.Pure.Errors;

namespace Cm.Runtime.Sampling;

/// <summary>The sampling request itself is inconsistent (batch, shape, labels).</summary>
public sealed record InvalidRequest(string Reason) : CmError("invalid sampling request: " + Reason, ErrorKind.InvalidInput, 1201);

/// <summary>The model returned NaN or infinity; the run stops at that step.</summary>
public sealed record NonFiniteModelOutput(int Step, double Timestep)
    : CmError($"the model output at step {Step} (t = {Timestep:R}) contains NaN or infinity; the run was stopped. " +
              "Check the model and its inputs (scaled sample, timestep, labels).", ErrorKind.RunFailure, 2001);

/// <summary>The model call failed.</summary>
public sealed record ModelFailed(int Step, string Reason) : CmError($"the model failed at step {Step}: {Reason}", ErrorKind.RunFailure, 2002);

/// <summary>The run was cancelled between steps.</summary>
public sealed record RunCancelled(int CompletedSteps) : CmError($"the run was cancelled after {CompletedSteps} step(s)", ErrorKind.Cancelled, 2003);
