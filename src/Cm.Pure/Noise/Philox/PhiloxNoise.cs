using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Noise.Philox;

/// <summary>
/// Order-independent float32 noise from Philox4x32-10 (philox.md) as an immutable value: a seed, the
/// global index of the first sample of the batch, and a draw counter <c>k</c>.
/// </summary>
/// <remarks>
/// <para><b>Stream mapping.</b> The noise of global sample <c>i</c> at draw <c>k</c> is the stream
/// <c>((ulong)k &lt;&lt; 32) | (ulong)i</c>; element <c>j</c> of that sample is element <c>j</c> of the
/// stream (philox.md §2, §4). It is a pure function of (seed, i, k): the same whatever the batch
/// size, the order in which samples are computed, or the number of threads. Sample indices are
/// 32-bit; draws are limited to <c>k &lt; 2^31</c> so that noise streams never have the top bit set,
/// which <see cref="PhiloxLabels"/> reserves for class labels.</para>
/// <para><b>Batch.</b> <see cref="Fill(Shape, Span{float})"/> treats <c>shape[0]</c> as the batch (a
/// scalar shape is one sample): item <c>b</c> of the batch is global sample <c>FirstSample + b</c>.
/// So a batch of 8 equals the 8 samples drawn alone with <see cref="ForSample"/>. Each fill returns
/// the source with <c>k + 1</c>.</para>
/// <para><b>float32 only.</b> The spec defines float32 normals only (double normals are to be specified
/// separately, not derived from the float ones), so the float64 <c>Fill</c> fails with
/// <see cref="NoiseFailed"/>.</para>
/// </remarks>
public sealed record PhiloxNoise(ulong Seed, uint FirstSample = 0, uint Draw = 0) : INoise
{
    /// <summary>Upper bound (exclusive) of the draw counter: 2^31.</summary>
    public const uint MaxDraws = 1u << 31;

    /// <summary>Elements per work item of <see cref="FillParallel"/> (a multiple of 4: whole blocks).</summary>
    public const int ChunkElements = 4096;

    /// <summary>The stream of global sample <paramref name="sample"/> at draw <paramref name="draw"/>: <c>(draw &lt;&lt; 32) | sample</c>.</summary>
    public static ulong StreamOf(uint sample, uint draw) =>
        draw < MaxDraws ? ((ulong)draw << 32) | sample
            : throw new ArgumentOutOfRangeException(nameof(draw), draw, "Philox noise allows at most 2^31 draws");

    /// <summary>The same source positioned on global sample <paramref name="sample"/> (for a batch of one, or a batch starting there).</summary>
    public PhiloxNoise ForSample(uint sample) => this with { FirstSample = sample };

    /// <summary>The same source at draw <paramref name="draw"/>.</summary>
    public PhiloxNoise AtDraw(uint draw) => this with { Draw = draw };

    /// <inheritdoc/>
    public Fin<INoise> Fill(Shape shape, Span<float> destination) => FillSamples(shape, destination).Map(p => (INoise)p);

    /// <summary>As <see cref="Fill(Shape, Span{float})"/>, typed.</summary>
    public Fin<PhiloxNoise> FillSamples(Shape shape, Span<float> destination)
    {
        if (Problem(shape, destination.Length) is { } reason) return new NoiseFailed(Describe(), reason);
        int batch = shape.Count == 0 ? 0 : shape.Batch;
        int per = shape.ItemCount;
        for (int b = 0; b < batch; b++)
            PhiloxNormal.Fill(Seed, StreamOf(FirstSample + (uint)b, Draw), 0, destination.Slice(b * per, per));
        return Advance();
    }

    /// <summary>
    /// The same values as <see cref="FillSamples"/>, computed by <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>
    /// over work items of (sample, chunk of <see cref="ChunkElements"/> elements). Each value is a pure function of
    /// its (seed, sample, draw, element), so the bits do not depend on <paramref name="maxDegreeOfParallelism"/>
    /// (-1: no limit) or on scheduling.
    /// </summary>
    public Fin<PhiloxNoise> FillParallel(Shape shape, Memory<float> destination, int maxDegreeOfParallelism = -1)
    {
        if (Problem(shape, destination.Length) is { } reason) return new NoiseFailed(Describe(), reason);
        int batch = shape.Count == 0 ? 0 : shape.Batch;
        int per = shape.ItemCount;
        int chunks = (per + ChunkElements - 1) / ChunkElements;
        ulong[] streams = new ulong[batch];
        for (int b = 0; b < batch; b++) streams[b] = StreamOf(FirstSample + (uint)b, Draw);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        ulong seed = Seed;
        Parallel.For(0, batch * chunks, options, item =>
        {
            int b = item / chunks, c = item % chunks;
            int offset = c * ChunkElements, count = Math.Min(ChunkElements, per - offset);
            PhiloxNormal.Fill(seed, streams[b], (ulong)offset, destination.Span.Slice(b * per + offset, count));
        });
        return Advance();
    }

    /// <summary>Fails: Philox gives float32 noise only (philox.md §4 specifies no double normals).</summary>
    public Fin<INoise> Fill(Shape shape, Span<double> destination) =>
        new NoiseFailed(Describe(),
            "Philox gives float32 noise only: philox.md specifies float32 normals and no float64 mapping. " +
            "Draw float32 and widen, or use TorchNoise for float64.");

    /// <inheritdoc/>
    public string Describe() => $"philox4x32-10(seed={Seed}, firstSample={FirstSample}, draw={Draw})";

    private Fin<PhiloxNoise> Advance() => this with { Draw = Draw + 1 };

    // Why this source cannot give the draw (the draw after it must still exist, and every sample index of the
    // batch must be a 32-bit index), or null when it can.
    private string? Problem(Shape shape, int length)
    {
        if (NoiseChecks.Destination(shape, length) is { } reason) return reason;
        if (Draw >= MaxDraws - 1) return "Philox noise allows at most 2^31 draws";
        var batch = shape.Count == 0 ? 0 : shape.Batch;
        return batch > 0 && FirstSample + (ulong)(batch - 1) > uint.MaxValue
            ? $"samples {FirstSample} to {FirstSample + (ulong)(batch - 1)} pass the last 32-bit sample index"
            : null;
    }
}
