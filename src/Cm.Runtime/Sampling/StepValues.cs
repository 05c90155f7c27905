namespace Cm.Runtime.Sampling;

/// <summary>
/// What an observer takes of each step's tensors, so that the loop copies exactly that much: nothing for a
/// progress bar, pooled copies handed over for a trace writer (warm memory, no second copy), values that stay
/// valid for a caller that keeps them.
/// </summary>
public enum StepValues
{
    /// <summary>No tensors: the record's tensors are empty (shape [0]); the loop copies nothing.</summary>
    None,

    /// <summary>
    /// Pooled copies of the sample, model output, noise and next sample become the observer's: it reads them
    /// when it likes (another thread included) and releases each one (<c>Tensor.Release</c>) when done; the
    /// loop never reads them again. From the second step on, the record's sample is the previous record's
    /// next-sample object (the same values; the observer owns it already). The denoised estimate is not copied
    /// (shape [0]). An observer that releases nothing only costs the pool its reuse.
    /// </summary>
    HandedOver,

    /// <summary>Every tensor, the denoised estimate included, as an immutable value that stays valid.</summary>
    Kept,
}
