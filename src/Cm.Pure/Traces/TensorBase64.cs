using System.Buffers;
using System.Buffers.Text;
using System.Runtime.InteropServices;

namespace Cm.Pure.Traces;

/// <summary>
/// A trace's inline tensor straight from its JSON string to float32 elements: the base64 text is decoded
/// into the elements' own memory (no intermediate byte array, no per-element loop), so reading a tensor
/// costs one pass over its text. Only plain strings take this path; anything else (escapes, a length
/// that is not whole float32 elements, invalid base64) is left to the parser's checked path, which says
/// what is wrong.
/// </summary>
public static class TensorBase64
{
    /// <summary>
    /// Decodes <paramref name="rawString"/>, a JSON string token with its quotes as it stands in the line,
    /// into float32 little-endian elements; false when it is not a plain, padded base64 string of whole elements.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> rawString, out float[] values)
    {
        values = [];
        if (!BitConverter.IsLittleEndian || rawString.Length < 2 || rawString[0] != (byte)'"' || rawString[^1] != (byte)'"') return false;
        var text = rawString[1..^1];
        if (text.Length % 4 != 0 || text.Contains((byte)'\\')) return false;
        var padding = text.Length == 0 ? 0 : text[^1] != (byte)'=' ? 0 : text[^2] == (byte)'=' ? 2 : 1;
        var bytes = text.Length / 4 * 3 - padding;
        if (bytes % 4 != 0) return false;
        var result = GC.AllocateUninitializedArray<float>(bytes / 4);
        var status = Base64.DecodeFromUtf8(text, MemoryMarshal.AsBytes(result.AsSpan()), out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != text.Length || written != bytes) return false;
        values = result;
        return true;
    }
}
