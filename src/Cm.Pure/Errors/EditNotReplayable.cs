namespace Cm.Pure.Errors;

/// <summary>
/// <c>cm replay</c> was given the trace of an edit run it cannot re-run: replay needs the reference and mask in the trace
/// (recorded with <c>--trace-tensors</c>) and Cm's scheduler convention (openai's calls a denoiser, not the network).
/// Such a trace is still proved by <c>cm verify</c> at the levels it can reach; docs/trace-format.md.
/// </summary>
public sealed record EditNotReplayable()
    : CmError("the trace records an edit run that cm replay cannot re-run: replay needs the reference and mask inline " +
        "(cm edit --trace-tensors) and Cm's scheduler convention, not openai's; cm verify checks it at the levels it can reach",
        ErrorKind.InvalidInput, 1520);
