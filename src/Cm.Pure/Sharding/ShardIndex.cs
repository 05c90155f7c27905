using System.Globalization;
using Cm.Pure.Errors;
using LanguageExt;

namespace Cm.Pure.Sharding;

/// <summary>One shard of a run: index K of S shards, 0 ≤ K &lt; S (valid by construction).</summary>
public sealed record ShardIndex
{
    private ShardIndex(int index, int count) => (Index, Count) = (index, count);

    /// <summary>K, from 0.</summary>
    public int Index { get; }

    /// <summary>S, the number of shards.</summary>
    public int Count { get; }

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/>, or why not.</summary>
    public static Fin<ShardIndex> Create(int index, int count, string source) =>
        count < 1 ? new InvalidShard($"{source}: {count} shards; give at least 1")
        : index < 0 || index >= count ? new InvalidShard($"{source}: shard index {index} is outside 0..{count - 1} for {count} shards")
        : new ShardIndex(index, count);

    /// <summary>Parses <c>--shard K/S</c>, e.g. <c>2/4</c>.</summary>
    public static Fin<ShardIndex> Parse(string text)
    {
        var parts = text.Split('/');
        return parts.Length == 2
               && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
               && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? Create(k, s, $"--shard {text}")
            : new InvalidShard($"--shard '{text}': give K/S (shard K of S, K from 0, e.g. 0/4) or 'auto' to read the job engine's variables");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
