using System.Collections.Immutable;
using System.Text.Json;
using Cm.Runtime.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Models.Safetensors;

/// <summary>
/// A parsed, checked safetensors header (format: u64 little-endian header length N, N bytes of JSON
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}</c>, then the data; offsets are
/// relative to the end of the header). Checked: N bounded and inside the file, known dtypes, shapes whose
/// element count matches the byte range, ranges inside the file and not overlapping. Key order is not trusted.
/// </summary>
public sealed record SafetensorsHeader(string Path, long FileLength, long DataStart, ImmutableArray<SafetensorsEntry> Entries)
{
    /// <summary>The largest header accepted (the reference implementation's limit, 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Entries by name.</summary>
    public ImmutableDictionary<string, SafetensorsEntry> ByName { get; } =
        Entries.ToImmutableDictionary(e => e.Name, StringComparer.Ordinal);

    /// <summary>Reads and checks the header of <paramref name="path"/> (reads 8 + N bytes only).</summary>
    public static Fin<SafetensorsHeader> Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            return Read(stream, path);
        }
        catch (FileNotFoundException)
        {
            return FinFail<SafetensorsHeader>(new FileUnreadable(path, "no such file"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<SafetensorsHeader>(new FileUnreadable(path, e.Message));
        }
    }

    /// <summary>Reads and checks the header from the start of <paramref name="stream"/>.</summary>
    public static Fin<SafetensorsHeader> Read(Stream stream, string path)
    {
        var length = stream.Length;
        Fin<SafetensorsHeader> Bad(string reason) => FinFail<SafetensorsHeader>(new InvalidSafetensors(path, reason));
        if (length < 8) return Bad($"the file has {length} bytes, fewer than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        var n = BitConverter.ToUInt64(prefix);
        var fits = n >= 2 && n <= MaxHeaderBytes && (long)n <= length - 8;
        if (!fits && LooksLikePickle(prefix)) return FinFail<SafetensorsHeader>(new PickleCheckpoint(path));
        if (n < 2 || n > MaxHeaderBytes) return Bad($"header length {n} is outside 2..{MaxHeaderBytes} bytes");
        if ((long)n > length - 8) return Bad($"header length {n} runs past the end of the file ({length} bytes)");
        var json = new byte[n];
        stream.ReadExactly(json);
        return Parse(json, path, length, 8 + (long)n);
    }

    // Asked only when the length prefix is impossible: a zip archive (torch.save since 1.6) or a raw pickle stream (protocol 2+).
    private static bool LooksLikePickle(ReadOnlySpan<byte> prefix) =>
        (prefix[0] == (byte)'P' && prefix[1] == (byte)'K') || prefix[0] == 0x80;

    private static Fin<SafetensorsHeader> Parse(byte[] json, string path, long fileLength, long dataStart)
    {
        Fin<SafetensorsHeader> Bad(string reason) => FinFail<SafetensorsHeader>(new InvalidSafetensors(path, reason));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return Bad("the header is not JSON: " + e.Message);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Bad("the header is not a JSON object");
            var entries = ImmutableArray.CreateBuilder<SafetensorsEntry>();
            var dataLength = fileLength - dataStart;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") continue;
                var v = p.Value;
                if (v.ValueKind != JsonValueKind.Object
                    || !v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String
                    || !v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array
                    || !v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
                    return Bad($"tensor '{p.Name}' lacks dtype, shape or data_offsets [begin, end]");
                var dtype = dt.GetString() switch
                {
                    "F32" => SafetensorsDtype.F32,
                    "F16" => SafetensorsDtype.F16,
                    "BF16" => SafetensorsDtype.BF16,
                    var other => (SafetensorsDtype?)null,
                };
                if (dtype is null) return Bad($"tensor '{p.Name}' has dtype {dt.GetString()}; Cm loads F32, F16 and BF16 weights");
                var dims = ImmutableArray.CreateBuilder<long>();
                foreach (var d in sh.EnumerateArray())
                {
                    if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var di) || di < 0 || di > int.MaxValue)
                        return Bad($"tensor '{p.Name}' has a bad shape {sh.GetRawText()}");
                    dims.Add(di);
                }
                if (!off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end) || begin < 0 || end < begin || end > dataLength)
                    return Bad($"tensor '{p.Name}' has data_offsets {off.GetRawText()} outside the {dataLength} data bytes");
                var entry = new SafetensorsEntry(p.Name, dtype.Value, dims.ToImmutable(), dataStart + begin, dataStart + end);
                if (entry.Count * entry.ElementSize != end - begin)
                    return Bad($"tensor '{p.Name}' has shape {entry.ShapeText} of {dt.GetString()} ({entry.Count * entry.ElementSize} bytes) but data_offsets span {end - begin} bytes");
                entries.Add(entry);
            }
            var names = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
            foreach (var e in entries)
                if (!names.Add(e.Name)) return Bad($"tensor '{e.Name}' appears twice");
            var sorted = entries.OrderBy(e => e.Begin).ToArray();
            for (var i = 1; i < sorted.Length; i++)
                if (sorted[i].Begin < sorted[i - 1].End)
                    return Bad($"tensors '{sorted[i - 1].Name}' and '{sorted[i].Name}' overlap");
            return FinSucc(new SafetensorsHeader(path, fileLength, dataStart, entries.ToImmutable()));
        }
    }
}
