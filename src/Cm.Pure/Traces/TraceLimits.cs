using System.Globalization;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// Bounds on what a header may claim, so that a small hostile file cannot make a reader allocate gigabytes:
/// every buffer the verifier or replay allocates is sized by the header's shape, so the shape is checked
/// against what the file can actually hold before anything is allocated.
/// </summary>
public static class TraceLimits
{
    /// <summary>
    /// The largest sample (elements per tensor) a reader regenerates or replays by default: 2^26 floats,
    /// 256 MiB per tensor. Raise it with <see cref="VerifyOptions.MaxElements"/> (<c>CM_MAX_ELEMENTS</c> for <c>cm</c>).
    /// </summary>
    public const int DefaultMaxElements = 1 << 26;

    /// <summary>
    /// Bytes a step line with inline tensors needs at least for <paramref name="elements"/> elements per tensor:
    /// three tensors (sample, model output, next sample) of 4 bytes per float in base64 (4 characters per 3 bytes).
    /// </summary>
    public static long MinStepLineBytes(long elements) => 3 * ((elements * 4 + 2) / 3 * 4);

    /// <summary>
    /// Why a header's shape cannot be read within the limits, or none: more elements than
    /// <paramref name="maxElements"/>, or (with inline tensors) step lines longer than <paramref name="maxLineBytes"/>.
    /// </summary>
    public static Option<string> Problem(Shape shape, bool inlineTensors, int maxElements, int maxLineBytes)
    {
        var n = (long)shape.Count;
        if (n > maxElements)
            return $"{shape}: {Show(n)} elements per tensor, more than this reader's limit of {Show(maxElements)} " +
                   "(raise it with CM_MAX_ELEMENTS=N, or VerifyOptions.MaxElements, if the trace is genuine and memory allows)";
        if (inlineTensors && MinStepLineBytes(n) > maxLineBytes)
            return $"{shape} with inline tensors: each step line would need at least {Show(MinStepLineBytes(n))} bytes, " +
                   $"over the {Show(maxLineBytes)}-byte line limit, so no valid trace of this shape can hold its tensors";
        return None;
    }

    private static string Show(long n) => n.ToString(CultureInfo.InvariantCulture);
}
