namespace Cm.Pure.Errors;

/// <summary>
/// <c>cm replay</c> was given the trace of an edit run: replay re-runs sampling runs only. An edit trace with inline
/// tensors is proved step by step, replacement included, by <c>cm verify</c> (level recomputed); docs/trace-format.md.
/// </summary>
public sealed record EditNotReplayable()
    : CmError("the trace records an edit run (its header has an edit section); cm replay re-runs sampling runs only: " +
        "verify it with cm verify, which recomputes every edit step, replacement included, from a trace recorded with --trace-tensors",
        ErrorKind.InvalidInput, 1520);
