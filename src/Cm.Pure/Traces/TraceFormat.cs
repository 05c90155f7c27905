namespace Cm.Pure.Traces;

/// <summary>The constants of trace format v1 (docs/trace-format.md), in one place.</summary>
public static class TraceFormat
{
    /// <summary>The header's <c>format</c>: identifies a file as a Cm trace.</summary>
    public const string Name = "cm-trace";

    /// <summary>The only version this library reads and writes.</summary>
    public const int Version = 1;

    /// <summary>The only hash algorithm of version 1 (the header's <c>hash</c>).</summary>
    public const string HashName = "sha256";

    /// <summary>The <c>prev</c> of the header: no record precedes it.</summary>
    public static readonly string GenesisPrev = new('0', 64);

    /// <summary>
    /// The longest line a reader accepts by default (256 MiB): a longer one is rejected without being
    /// read, so a damaged or hostile file cannot exhaust memory. Writers refuse to write longer lines.
    /// </summary>
    public const int DefaultMaxLineBytes = 256 * 1024 * 1024;

    /// <summary>The only sample dtype of version 1.</summary>
    public const string Float32 = "float32";
}
