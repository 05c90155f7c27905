using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Noise;

/// <summary>
/// A source of standard normal noise as an immutable value: a draw returns the values and the
/// next source, and leaves this one unchanged, so the same source always gives the same draw.
/// The scheduler state carries one; <c>Step</c> takes one draw per step of a multi-step run.
/// </summary>
/// <remarks>
/// <para>A draw has a shape whose leading dimension is the batch. Sources that are independent of
/// batch size (Philox) use it to give sample <c>i</c> of draw <c>k</c> the same values whatever the
/// batch; sources that replay PyTorch use only the element count, as <c>torch.randn</c> does.</para>
/// <para>The <c>Fill</c> forms write into a caller's buffer, for loops that reuse memory; they never
/// touch anything else, and <c>this</c> is unchanged. A draw the source cannot give (recorded noise
/// exhausted or of the wrong length, a Philox counter at its end, a float64 draw from a float32-only source,
/// a destination of the wrong size) is a <see cref="Errors.NoiseFailed"/> value: no source throws.</para>
/// </remarks>
public interface INoise
{
    /// <summary>Writes one float32 draw of <paramref name="shape"/> into <paramref name="destination"/>
    /// (exactly <c>shape.Count</c> elements) and returns the source after the draw, or why it cannot.</summary>
    Fin<INoise> Fill(Shape shape, Span<float> destination);

    /// <summary>Writes one float64 draw of <paramref name="shape"/> into <paramref name="destination"/>
    /// and returns the source after the draw, or why it cannot.</summary>
    Fin<INoise> Fill(Shape shape, Span<double> destination);

    /// <summary>Short human-readable description for diagnostics and traces (kind, seed, position).</summary>
    string Describe();
}
