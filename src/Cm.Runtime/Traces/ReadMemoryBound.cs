namespace Cm.Runtime.Traces;

/// <summary>
/// Keeps a trace reader's memory at a constant plus a small multiple of its longest line. Each line is
/// handed out as its own array and a step line's tensors are decoded into arrays of their own (together
/// about 1.9 times the line), all garbage once the next line is read; left to itself the garbage collector
/// lets such large arrays pile up for many lines (22 lines' worth was measured on a 168 MB trace) before a
/// full collection. So after every <see cref="Due"/> bytes handed out the reader asks for a full
/// collection, which costs about a millisecond on a reader's small heap against tens of milliseconds to
/// hash and parse that many bytes.
/// </summary>
public static class ReadMemoryBound
{
    /// <summary>Bytes handed out between collections, at least (16 MiB: small lines never collect often).</summary>
    public const long Floor = 16L << 20;

    /// <summary>Whether <paramref name="sinceCollection"/> bytes handed out since the last collection call for one, with lines up to <paramref name="longest"/> bytes.</summary>
    public static bool Due(long sinceCollection, long longest) => sinceCollection >= Math.Max(Floor, 2 * longest);

    /// <summary>A full, blocking, non-compacting collection that also gives freed large-object memory back.</summary>
    public static void Collect() => GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
}
