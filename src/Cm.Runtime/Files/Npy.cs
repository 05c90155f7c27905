using System.Buffers.Binary;
using System.Diagnostics.Contracts;
using System.Text;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Files;

/// <summary>
/// NumPy's <c>.npy</c> format, version 1.0, for raw float32 samples: little-endian <c>&lt;f4</c>, C order,
/// header padded with spaces and a newline so the data starts on a 64-byte boundary. <c>numpy.load</c>
/// reads it back bit for bit. The header depends on the shape only, so a file can be written in pieces
/// (<see cref="Header"/>, then the data) and shards' data concatenated under one header.
/// </summary>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    /// <summary>The header dictionary, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.</summary>
    [Pure]
    public static string HeaderDict(IReadOnlyList<int> shape) =>
        "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
        (shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape)) + "), }";

    /// <summary>The magic, the header length and the padded header: everything before the data.</summary>
    [Pure]
    public static byte[] Header(IReadOnlyList<int> shape)
    {
        var dict = HeaderDict(shape);
        var unpadded = Magic.Length + 2 + dict.Length + 1;
        var headerLength = (unpadded + 63) / 64 * 64 - Magic.Length - 2;
        var header = dict.PadRight(headerLength - 1) + "\n";
        var bytes = new byte[Magic.Length + 2 + headerLength];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Magic.Length), (ushort)headerLength);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(Magic.Length + 2));
        return bytes;
    }

    /// <summary>The whole file for <paramref name="data"/> of <paramref name="shape"/>.</summary>
    [Pure]
    public static byte[] Encode(IReadOnlyList<int> shape, ReadOnlySpan<float> data)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != data.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} elements but {data.Length} were given");
        var header = Header(shape);
        var bytes = new byte[header.Length + data.Length * 4];
        header.CopyTo(bytes, 0);
        var body = bytes.AsSpan(header.Length);
        for (var i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(body[(i * 4)..], data[i]);
        return bytes;
    }

    /// <summary>The file for a float32 tensor, shape and order as stored.</summary>
    [Pure]
    public static byte[] Encode(Tensor<float> tensor) => Encode(tensor.Shape.Dims, tensor.Data);

    /// <summary>
    /// The header of a file Cm wrote: its byte length and shape, from at most the first 64 KiB. Only the
    /// <c>&lt;f4</c>, C-order form <see cref="Header"/> writes is accepted (the exact same bytes).
    /// </summary>
    public static Option<(int Length, int[] Shape)> ReadHeader(ReadOnlySpan<byte> start)
    {
        if (start.Length < Magic.Length + 2 || !start[..Magic.Length].SequenceEqual(Magic)) return None;
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(start[Magic.Length..]);
        var total = Magic.Length + 2 + headerLength;
        if (start.Length < total) return None;
        var dict = Encoding.ASCII.GetString(start.Slice(Magic.Length + 2, headerLength)).TrimEnd(' ', '\n');
        const string prefix = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
        if (!dict.StartsWith(prefix, StringComparison.Ordinal) || !dict.EndsWith("), }", StringComparison.Ordinal)) return None;
        var dims = dict[prefix.Length..^4].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shape = new int[dims.Length];
        for (var i = 0; i < dims.Length; i++)
            if (!int.TryParse(dims[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[i])) return None;
        return shape.Length > 0 && Header(shape).AsSpan().SequenceEqual(start[..total]) ? Some((total, shape)) : None;
    }
}
