using System.Diagnostics.Contracts;
using System.Text;

namespace Cm.Runtime.Images;

/// <summary>
/// Adds PNG <c>tEXt</c> chunks (PNG spec §11.3.4.3: keyword, NUL, Latin-1 text) right after <c>IHDR</c>, so an
/// image carries its provenance (seed, noise, config, model identity). Viewers ignore them; <c>exiftool</c>,
/// Pillow's <c>Image.text</c> and <see cref="Read"/> show them.
/// </summary>
public static class PngText
{
    private static readonly uint[] Table = MakeTable();

    /// <summary>The PNG <paramref name="png"/> with one <c>tEXt</c> chunk per entry, in order, after IHDR.</summary>
    [Pure]
    public static byte[] Insert(byte[] png, IReadOnlyList<(string Keyword, string Text)> entries)
    {
        const int afterIhdr = 8 + 4 + 4 + 13 + 4;
        if (png.Length < afterIhdr || Encoding.ASCII.GetString(png, 12, 4) != "IHDR")
            throw new ArgumentException("not a PNG starting with IHDR", nameof(png));
        using var o = new MemoryStream(png.Length + 256 * entries.Count);
        o.Write(png, 0, afterIhdr);
        foreach (var (keyword, text) in entries)
        {
            if (keyword.Length is < 1 or > 79) throw new ArgumentException($"PNG keyword '{keyword}' must have 1 to 79 characters", nameof(entries));
            var data = Latin1(keyword).Concat(new byte[] { 0 }).Concat(Latin1(text)).ToArray();
            WriteChunk(o, "tEXt", data);
        }
        o.Write(png, afterIhdr, png.Length - afterIhdr);
        return o.ToArray();
    }

    /// <summary>Every <c>tEXt</c> chunk of a PNG as (keyword, text), in file order (bounded by the file's length).</summary>
    [Pure]
    public static IReadOnlyList<(string Keyword, string Text)> Read(byte[] png)
    {
        var result = new List<(string, string)>();
        var at = 8;
        while (at + 12 <= png.Length)
        {
            var length = (int)Math.Min(int.MaxValue, (uint)(png[at] << 24 | png[at + 1] << 16 | png[at + 2] << 8 | png[at + 3]));
            if (length > png.Length - at - 12) break;
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            if (type == "tEXt")
            {
                var data = png.AsSpan(at + 8, length);
                var nul = data.IndexOf((byte)0);
                if (nul > 0) result.Add((Encoding.Latin1.GetString(data[..nul]), Encoding.Latin1.GetString(data[(nul + 1)..])));
            }
            if (type == "IEND") break;
            at += 12 + length;
        }
        return result;
    }

    /// <summary>Latin-1 bytes; characters outside Latin-1 become '?', as tEXt allows nothing else.</summary>
    private static byte[] Latin1(string s) => Encoding.Latin1.GetBytes(s.Select(ch => ch <= '\u00ff' ? ch : '?').ToArray());

    private static void WriteChunk(Stream o, string type, byte[] data)
    {
        Span<byte> be = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(be, data.Length);
        o.Write(be);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        o.Write(typed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(be, Crc32(typed));
        o.Write(be);
    }

    /// <summary>The CRC-32 of PNG (ISO 3309, polynomial 0xEDB88320 reflected), over chunk type and data.</summary>
    [Pure]
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in bytes) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static uint[] MakeTable()
    {
        var t = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }
}
