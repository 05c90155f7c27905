namespace Cm.Pure.Tensors;

/// <summary>
/// Who may still read a pooled array: every tensor made on it (the result and its reshapes) shares one
/// lease. <see cref="Release"/> ends the lease once: from then on every read through those tensors throws
/// <see cref="ObjectDisposedException"/>, and only then does the array go back to <see cref="BufferPool{T}"/>
/// for a later result to overwrite. So a caller can see an error after releasing, never changed values.
/// </summary>
internal sealed class BufferLease<T> where T : unmanaged
{
    private T[]? _array;

    public BufferLease(T[] array) => _array = array;

    /// <summary>The array while the lease lasts.</summary>
    public T[] Array => _array ?? throw new ObjectDisposedException(
        "Tensor", "this tensor was released (its buffer went back to the step pool); read values before releasing them, or copy them with ToArray");

    /// <summary>Whether <see cref="Release"/> was called.</summary>
    public bool IsReleased => Volatile.Read(ref _array) is null;

    /// <summary>Ends the lease and hands the array back; later calls do nothing.</summary>
    public void Release()
    {
        var a = Interlocked.Exchange(ref _array, null);
        if (a is not null) BufferPool<T>.Return(a);
    }
}
