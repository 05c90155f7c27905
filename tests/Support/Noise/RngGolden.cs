using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Cm.Tests.Golden;

namespace Cm.Tests.Noise;

/// <summary>
/// Discovers the RNG golden files in <c>../shared/golden/rng</c> at run time and hands out test-case
/// ids of the form <c>"file.json#index description"</c>; a test looks its case up again from the id,
/// so xunit can list every case as its own, serialisable test.
/// </summary>
public static class RngGolden
{
    private static readonly ConcurrentDictionary<string, JsonDocument> Docs = new();

    public static string Folder => SharedFolder.Sub("golden", "rng");

    public static IEnumerable<string> Files(string prefix) =>
        Directory.EnumerateFiles(Folder, prefix + "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static JsonElement Root(string file) =>
        Docs.GetOrAdd(file, f => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, f)))).RootElement;

    /// <summary>Splits an id "file.json#path[index] rest" into file and the part before the first space.</summary>
    public static (string File, string Key) Parse(string id)
    {
        int hash = id.IndexOf('#');
        int space = id.IndexOf(' ', hash);
        return (id[..hash], space < 0 ? id[(hash + 1)..] : id[(hash + 1)..space]);
    }

    /// <summary>"a.b[3]" → ("a.b", 3).</summary>
    public static (string Path, int Index) PathIndex(string key)
    {
        int open = key.LastIndexOf('[');
        return (key[..open], int.Parse(key[(open + 1)..^1], CultureInfo.InvariantCulture));
    }

    public static uint Hex32(JsonElement e) => uint.Parse(e.GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static ulong Hex64(string s) =>
        ulong.Parse(s.StartsWith("0x", StringComparison.Ordinal) ? s[2..] : s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static JsonElement? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string F32(uint bits) => $"0x{bits:x8} ({BitConverter.UInt32BitsToSingle(bits).ToString("R", CultureInfo.InvariantCulture)})";
}

/// <summary>
/// A golden case id as an xunit argument. A wrapper rather than a bare string because xunit cuts
/// string arguments to 50 characters in display names; it shows <see cref="ToString"/> in full.
/// </summary>
public sealed class GoldenId : Xunit.Abstractions.IXunitSerializable
{
    public GoldenId() => Id = "";
    public GoldenId(string id) => Id = id;
    public string Id { get; private set; }
    public void Deserialize(Xunit.Abstractions.IXunitSerializationInfo info) => Id = info.GetValue<string>(nameof(Id));
    public void Serialize(Xunit.Abstractions.IXunitSerializationInfo info) => info.AddValue(nameof(Id), Id);
    public override string ToString() => Id;
}
