using System.Globalization;
using Cm.Pure.Sharding;

namespace Cm.Runtime.Sharding;

/// <summary>
/// The names a shard writes in its folder, zero-padded to the width of S − 1 so that shell globs list them
/// in shard order: <c>manifest-03.json</c>, <c>shard-03.npy</c>, <c>shard-03.trace-0.jsonl</c> (one trace per batch).
/// </summary>
public static class ShardFiles
{
    /// <summary>The manifest of shard K.</summary>
    public static string Manifest(ShardIndex s) => $"manifest-{Padded(s)}.json";

    /// <summary>The samples of shard K.</summary>
    public static string Samples(ShardIndex s) => $"shard-{Padded(s)}.npy";

    /// <summary>The trace of batch <paramref name="batch"/> (from 0) of shard K.</summary>
    public static string Trace(ShardIndex s, int batch) => $"shard-{Padded(s)}.trace-{batch.ToString(CultureInfo.InvariantCulture)}.jsonl";

    private static string Padded(ShardIndex s) =>
        s.Index.ToString(CultureInfo.InvariantCulture).PadLeft(Math.Max(1, (s.Count - 1).ToString(CultureInfo.InvariantCulture).Length), '0');
}
