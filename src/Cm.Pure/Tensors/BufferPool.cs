namespace Cm.Pure.Tensors;

/// <summary>
/// The arrays that released step results handed back, kept for the next step of the same size so that
/// it writes into memory that is already mapped and warm in cache instead of fresh pages (a fresh large
/// array costs one page fault and a kernel zeroing per 4 KiB on first write; docs/performance.md measures
/// it). Bounded: at most <see cref="MaxPerLength"/> arrays of one length and <see cref="MaxBytes"/> bytes
/// per element type; what does not fit is left to the garbage collector. Only arrays whose every
/// holder has been invalidated (see <see cref="BufferLease{T}"/>) ever come back here.
/// </summary>
internal static class BufferPool<T> where T : unmanaged
{
    /// <summary>
    /// Arrays kept per length: a step loop holds the previous result while it makes the next (2 × 3 arrays), and a
    /// traced run holds the step being written (4) while the loop copies the next (3); room for two such loops.
    /// </summary>
    public const int MaxPerLength = 16;

    /// <summary>Bytes kept per element type, all lengths together (256 MiB).</summary>
    public const long MaxBytes = 256L << 20;

    private static readonly Dictionary<int, Stack<T[]>> Free = [];
    private static readonly Lock Gate = new();
    private static long _bytes;

    /// <summary>Bytes held right now (for tests of the bound).</summary>
    public static long HeldBytes { get { lock (Gate) return _bytes; } }

    /// <summary>Arrays of <paramref name="length"/> held right now (for tests of the bound).</summary>
    public static int HeldArrays(int length) { lock (Gate) return Free.TryGetValue(length, out var s) ? s.Count : 0; }

    /// <summary>An array of exactly <paramref name="length"/> elements with unspecified contents: a kept one, or a new uninitialised one.</summary>
    public static T[] Rent(int length)
    {
        lock (Gate)
        {
            if (Free.TryGetValue(length, out var stack) && stack.TryPop(out var kept))
            {
                _bytes -= Bytes(length);
                return kept;
            }
        }
        return GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>
    /// Makes sure at least <paramref name="count"/> arrays of <paramref name="length"/> are kept (within the bounds),
    /// each page already written once, so that the next rents find mapped memory. Meant for an idle thread ahead
    /// of a loop: the page faults of fresh arrays (about 5 ms per 3 MB here) are then not the loop's.
    /// </summary>
    public static void Warm(int length, int count)
    {
        var stride = Math.Max(1, 4096 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        for (var missing = Math.Min(count, MaxPerLength) - HeldArrays(length); missing > 0; missing--)
        {
            var a = GC.AllocateUninitializedArray<T>(length);
            for (var i = 0; i < a.Length; i += stride) a[i] = default;
            Return(a);
        }
    }

    /// <summary>Keeps an array nobody can reach any more, if the bounds allow.</summary>
    public static void Return(T[] array)
    {
        var size = Bytes(array.Length);
        lock (Gate)
        {
            if (_bytes + size > MaxBytes) return;
            if (!Free.TryGetValue(array.Length, out var stack)) Free[array.Length] = stack = new Stack<T[]>();
            if (stack.Count >= MaxPerLength) return;
            stack.Push(array);
            _bytes += size;
        }
    }

    private static long Bytes(int length) => (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
}
