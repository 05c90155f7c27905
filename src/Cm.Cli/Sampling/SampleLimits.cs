using System.Globalization;
using Cm.Cli.Hosting;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Sampling;

/// <summary>A request too large for the limits that keep a run's memory bounded; it says the limit and how to raise it.</summary>
public sealed record SampleTooLarge(string Reason)
    : CmError(Reason, ErrorKind.InvalidInput, 1886);

/// <summary>
/// The size limits of <c>cm sample</c>, checked before anything is allocated: a run holds several tensors of
/// batch × item elements, so <c>--batch 1000000</c> or <c>--shape 3,65536,65536</c> is refused at once with the
/// limit and how to raise it, instead of growing to many gigabytes and failing late. The same element limit
/// bounds what <c>cm verify</c> and <c>cm replay</c> allocate for a trace header's shape.
/// </summary>
public static class SampleLimits
{
    /// <summary>The environment variable that raises (or lowers) the element limit.</summary>
    public const string Variable = "CM_MAX_ELEMENTS";

    /// <summary>Elements per tensor allowed: <c>CM_MAX_ELEMENTS</c> when set to a positive integer, else 2^26 (256 MiB of float32).</summary>
    public static int MaxElements() =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : TraceLimits.DefaultMaxElements;

    /// <summary>Checks a batch of samples of <paramref name="item"/> shape against the limits (and, with inline tensors, the trace line limit).</summary>
    public static Fin<Shape> Check(int batch, IReadOnlyList<int> item, bool traceTensors)
    {
        var dims = new[] { batch }.Concat(item).ToArray();
        var shown = $"--batch {batch} of samples {string.Join("x", item)}";
        var n = Shape.ElementCount(dims);
        var max = MaxElements();
        if (n < 0) return FinFail<Shape>(new SampleTooLarge($"{shown}: sizes must be positive"));
        if (n > max)
            return FinFail<Shape>(new SampleTooLarge(
                $"{shown}: {Show(n)} elements per tensor, over the limit of {Show(max)} ({Show(max * 4L >> 20)} MiB of float32 per tensor; " +
                $"a run holds several). Use a smaller --batch or --shape, or raise the limit with {Variable}=N if memory allows."));
        // Four tensors per step line in base64 (4 characters per 3 bytes), plus the scalars and hashes.
        var line = 4 * ((n * 4 + 2) / 3 * 4) + 4096;
        if (traceTensors && line > TraceFormat.DefaultMaxLineBytes)
            return FinFail<Shape>(new SampleTooLarge(
                $"{shown} with --trace-tensors: each step line would be about {Show(line)} bytes, over the {Show(TraceFormat.DefaultMaxLineBytes)}-byte " +
                "(256 MiB) line limit every trace reader applies. Record without --trace-tensors (hashes only), or use a smaller --batch."));
        return Shape.Create(dims);
    }

    private static string Show(long n) => n.ToString(CultureInfo.InvariantCulture);
}
