using System.Buffers.Binary;
using System.Diagnostics.Contracts;
using System.Text;
using Cm.Pure.Tensors;

namespace Cm.Cli.Rendering;

/// <summary>
/// NumPy's <c>.npy</c> format, version 1.0, for raw float32 samples: little-endian <c>&lt;f4</c>, C order,
/// header padded with spaces and a newline so the data starts on a 64-byte boundary. <c>numpy.load</c>
/// reads it back bit for bit.
/// </summary>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    /// <summary>The header dictionary, e.g. <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (2, 3), }</c>.</summary>
    [Pure]
    public static string HeaderDict(IReadOnlyList<int> shape) =>
        "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
        (shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape)) + "), }";

    /// <summary>The whole file for <paramref name="data"/> of <paramref name="shape"/>.</summary>
    [Pure]
    public static byte[] Encode(IReadOnlyList<int> shape, ReadOnlySpan<float> data)
    {
        var count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != data.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {count} elements but {data.Length} were given");
        var dict = HeaderDict(shape);
        var unpadded = Magic.Length + 2 + dict.Length + 1;
        var headerLength = (unpadded + 63) / 64 * 64 - Magic.Length - 2;
        var header = dict.PadRight(headerLength - 1) + "\n";

        var bytes = new byte[Magic.Length + 2 + headerLength + data.Length * 4];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(Magic.Length), (ushort)headerLength);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(Magic.Length + 2));
        var body = bytes.AsSpan(Magic.Length + 2 + headerLength);
        for (var i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(body[(i * 4)..], data[i]);
        return bytes;
    }

    /// <summary>The file for a float32 tensor, shape and order as stored.</summary>
    [Pure]
    public static byte[] Encode(Tensor<float> tensor) => Encode(tensor.Shape.Dims, tensor.Data);
}
