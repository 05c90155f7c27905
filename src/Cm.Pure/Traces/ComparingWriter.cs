using System.Buffers;

namespace Cm.Pure.Traces;

/// <summary>
/// A buffer writer that keeps nothing: every byte written is compared with the bytes expected at that
/// position, through one pooled scratch buffer. It lets the parser check that a line is its own canonical
/// serialisation without building a second copy of a line that can be hundreds of megabytes long (the copy
/// and its fresh pages cost more than writing the bytes). The scratch is rented and returned here; no caller
/// sees it.
/// </summary>
internal sealed class ComparingWriter(ReadOnlyMemory<byte> expected) : IBufferWriter<byte>, IDisposable
{
    private byte[] _scratch = [];
    private int _at;
    private bool _differs;

    /// <summary>Whether everything written so far equals the expected bytes, and covers them all.</summary>
    public bool Equal => !_differs && _at == expected.Length;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        if (_differs) return;
        if (count > expected.Length - _at || !_scratch.AsSpan(0, count).SequenceEqual(expected.Span.Slice(_at, count)))
        {
            _differs = true;
            return;
        }
        _at += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint).Span;

    private Memory<byte> Scratch(int sizeHint)
    {
        var size = Math.Max(sizeHint, 64 * 1024);
        if (_scratch.Length < size)
        {
            if (_scratch.Length > 0) ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(size);
        }
        return _scratch;
    }

    /// <summary>Returns the scratch buffer to the pool.</summary>
    public void Dispose()
    {
        if (_scratch.Length > 0) ArrayPool<byte>.Shared.Return(_scratch);
        _scratch = [];
    }
}
