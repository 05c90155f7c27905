namespace Cm.Pure.Errors;

/// <summary>
/// Torch noise asked to be split: PyTorch's generator threads through the whole batch, so sample i's noise
/// depends on every sample before it and no shard or later batch can start on its own.
/// </summary>
public sealed record UnshardableNoise(string What)
    : CmError($"{What} needs noise keyed by the sample index: torch noise is one generator threaded through the whole batch. Use --noise philox",
        ErrorKind.Usage, 1704);
