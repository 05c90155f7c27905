using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Cm.Pure.Traces;

/// <summary>
/// SHA-256 of a float32 tensor's elements as little-endian bytes in row-major order: the same digest
/// Python gets from <c>hashlib.sha256(t.numpy().astype('&lt;f4').tobytes())</c>, whatever the machine.
/// </summary>
public static class TensorHash
{
    /// <summary>The lowercase hex SHA-256 of the elements.</summary>
    public static string Of(ReadOnlySpan<float> values) => Hex(SHA256.HashData(LittleEndianBytes(values)));

    /// <summary>The lowercase hex SHA-256 of raw bytes (a trace line, for the chain).</summary>
    public static string OfBytes(ReadOnlySpan<byte> bytes) => Hex(SHA256.HashData(bytes));

    /// <summary>Lowercase hex, the only spelling a trace uses.</summary>
    public static string Hex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);

    /// <summary>Whether <paramref name="s"/> is 64 lowercase hex digits.</summary>
    public static bool IsDigest(string s) =>
        s.Length == 64 && s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>The float32 elements as little-endian bytes (a view on little-endian machines).</summary>
    public static ReadOnlySpan<byte> LittleEndianBytes(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian) return MemoryMarshal.AsBytes(values);
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    /// <summary>Float32 elements from little-endian bytes; the length must be a multiple of 4.</summary>
    public static float[] FromLittleEndian(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        return values;
    }
}
