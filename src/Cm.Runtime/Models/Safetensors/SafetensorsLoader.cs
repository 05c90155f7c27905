using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Cm.Runtime.Errors;
using Cm.Runtime.Sampling;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Models.Safetensors;

/// <summary>
/// Strict, streaming safetensors loading into a TorchSharp module. The file is read once, front to back: F32
/// tensors go straight into the parameters' memory (CPU) or through one tensor-sized buffer (other devices,
/// F16/BF16), so peak memory is the model plus its largest tensor, never two copies of the file. The same pass
/// hashes every byte, giving the file's SHA-256 for the model identity at no extra read.
/// </summary>
public static class SafetensorsLoader
{
    private const int HashChunk = 1 << 20;

    /// <summary>
    /// Checks that the file's tensors are exactly the module's state (names after the legacy attention renames, and
    /// shapes) — else one <see cref="WeightsMismatch"/> listing every difference, with <paramref name="hint"/>'s advice —
    /// then copies every tensor in. Returns the file's SHA-256 (lower-case hex).
    /// </summary>
    public static Fin<string> LoadInto(torch.nn.Module module, string path, Func<Arr<string>, string>? hint = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        return SafetensorsHeader.Read(path).Bind(header => Match(module, header, hint).Bind(pairs => Copy(header, pairs)));
    }

    /// <summary>diffusers' legacy attention names (<c>query</c>, <c>key</c>, <c>value</c>, <c>proj_attn</c>) as today's.</summary>
    public static string CurrentName(string name)
    {
        if (!name.Contains(".attentions.", StringComparison.Ordinal)) return name;
        foreach (var (old, now) in new[] { (".query.", ".to_q."), (".key.", ".to_k."), (".value.", ".to_v."), (".proj_attn.", ".to_out.0.") })
        {
            var i = name.LastIndexOf(old, StringComparison.Ordinal);
            if (i >= 0) return name[..i] + now + name[(i + old.Length)..];
        }
        return name;
    }

    private static Fin<List<(SafetensorsEntry Entry, torch.Tensor Target)>> Match(torch.nn.Module module, SafetensorsHeader header, Func<Arr<string>, string>? hint)
    {
        var state = module.state_dict();
        var byName = header.Entries.ToLookup(e => CurrentName(e.Name), StringComparer.Ordinal);
        var missing = state.Keys.Where(k => !byName.Contains(k)).Order(StringComparer.Ordinal).ToArr();
        var unexpected = header.Entries.Where(e => !state.ContainsKey(CurrentName(e.Name))).Select(e => e.Name).Order(StringComparer.Ordinal).ToArr();
        var duplicated = byName.Where(g => g.Count() > 1).Select(g => string.Join(" and ", g.Select(e => e.Name)) + " (both name " + g.Key + ")");
        var wrong = new List<string>();
        var pairs = new List<(SafetensorsEntry, torch.Tensor)>();
        foreach (var (name, target) in state)
        {
            if (!byName.Contains(name)) continue;
            var entry = byName[name].First();
            if (!entry.Shape.SequenceEqual(target.shape))
                wrong.Add($"{entry.Name} {entry.ShapeText} (the network has [{string.Join(", ", target.shape)}])");
            else pairs.Add((entry, target));
        }
        unexpected = unexpected.AddRange(duplicated);
        if (missing.IsEmpty && unexpected.IsEmpty && wrong.Count == 0) return FinSucc(pairs);
        return FinFail<List<(SafetensorsEntry, torch.Tensor)>>(
            new WeightsMismatch(header.Path, missing, unexpected, wrong.ToArr(), hint?.Invoke(unexpected) ?? ""));
    }

    private static Fin<string> Copy(SafetensorsHeader header, List<(SafetensorsEntry Entry, torch.Tensor Target)> pairs)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data are little-endian; Cm reads them on little-endian machines only");
        try
        {
            using var stream = new FileStream(header.Path, FileMode.Open, FileAccess.Read, FileShare.Read, HashChunk, FileOptions.SequentialScan);
            if (stream.Length != header.FileLength)
                return FinFail<string>(new InvalidSafetensors(header.Path, "the file changed while it was read"));
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var noGrad = torch.no_grad();
            long position = 0;
            foreach (var (entry, target) in pairs.OrderBy(p => p.Entry.Begin))
            {
                position = Skip(stream, hash, position, entry.Begin);
                ReadEntry(stream, hash, entry, target);
                position = entry.End;
            }
            Skip(stream, hash, position, header.FileLength);
            return FinSucc(Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch (EndOfStreamException)
        {
            return FinFail<string>(new InvalidSafetensors(header.Path, "the file ended early (truncated while it was read?)"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<string>(new FileUnreadable(header.Path, e.Message));
        }
    }

    // Reads (and hashes) the bytes from position up to end: the header, and any bytes no tensor claims.
    private static long Skip(Stream stream, IncrementalHash hash, long position, long end)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(HashChunk);
        try
        {
            while (position < end)
            {
                var n = (int)Math.Min(buffer.Length, end - position);
                stream.ReadExactly(buffer, 0, n);
                hash.AppendData(buffer, 0, n);
                position += n;
            }
            return position;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ReadEntry(Stream stream, IncrementalHash hash, SafetensorsEntry entry, torch.Tensor target)
    {
        var direct = entry.Dtype == SafetensorsDtype.F32 && target.device_type == DeviceType.CPU
                     && target.dtype == torch.float32 && target.is_contiguous();
        if (direct)
        {
            var bytes = MemoryMarshal.AsBytes(TensorStep.CpuSpan(target));
            stream.ReadExactly(bytes);
            hash.AppendData(bytes);
            return;
        }
        using var staging = torch.empty(entry.Shape.ToArray(), dtype: torch.float32, device: torch.CPU);
        var floats = TensorStep.CpuSpan(staging);
        ReadConverted(stream, hash, entry, floats);
        target.copy_(staging);
    }

    /// <summary>Reads one tensor's bytes (any supported dtype) as float32 into <paramref name="destination"/>.</summary>
    private static void ReadConverted(Stream stream, IncrementalHash hash, SafetensorsEntry entry, Span<float> destination)
    {
        if (entry.Dtype == SafetensorsDtype.F32)
        {
            var bytes = MemoryMarshal.AsBytes(destination);
            stream.ReadExactly(bytes);
            hash.AppendData(bytes);
            return;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(HashChunk);
        try
        {
            var done = 0;
            while (done < destination.Length)
            {
                var n = Math.Min(buffer.Length / 2, destination.Length - done);
                stream.ReadExactly(buffer, 0, 2 * n);
                hash.AppendData(buffer, 0, 2 * n);
                var halves = MemoryMarshal.Cast<byte, ushort>(buffer.AsSpan(0, 2 * n));
                var slice = destination.Slice(done, n);
                if (entry.Dtype == SafetensorsDtype.F16)
                    for (var i = 0; i < n; i++) slice[i] = (float)BitConverter.UInt16BitsToHalf(halves[i]);
                else
                    for (var i = 0; i < n; i++) slice[i] = BitConverter.UInt32BitsToSingle((uint)halves[i] << 16);
                done += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One tensor as float32 values (for checks and tools; the whole tensor is read, bounded by the checked header).</summary>
    public static Fin<float[]> ReadFloats(SafetensorsHeader header, string name)
    {
        if (!header.ByName.TryGetValue(name, out var entry))
            return FinFail<float[]>(new InvalidSafetensors(header.Path, $"it has no tensor '{name}'"));
        try
        {
            using var stream = new FileStream(header.Path, FileMode.Open, FileAccess.Read, FileShare.Read);
            stream.Seek(entry.Begin, SeekOrigin.Begin);
            var values = new float[entry.Count];
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            ReadConverted(stream, hash, entry, values);
            return FinSucc(values);
        }
        catch (EndOfStreamException)
        {
            return FinFail<float[]>(new InvalidSafetensors(header.Path, "the file ended early"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<float[]>(new FileUnreadable(header.Path, e.Message));
        }
    }
}
