using System.Collections.Immutable;
using Cm.Pure.Config;

namespace Cm.Runtime.Configs;

/// <summary>
/// A diffusers <c>scheduler_config.json</c> as Cm keeps it: the seven settings (well-typed, not yet
/// validated), the <c>_diffusers_version</c> that wrote it and any keys Cm does not know, with their JSON
/// text, so that reading and writing a file loses nothing.
/// </summary>
/// <param name="Config">The seven settings; missing keys hold diffusers' defaults.</param>
/// <param name="DiffusersVersion"><c>_diffusers_version</c>, when the file has one.</param>
/// <param name="UnknownKeys">Keys Cm ignores, in file order, with their raw JSON values.</param>
public sealed record ConfigDocument(
    SchedulerConfig Config,
    string? DiffusersVersion,
    ImmutableArray<KeyValuePair<string, string>> UnknownKeys)
{
    /// <summary>A document holding only <paramref name="config"/>, as <c>cm config init</c> writes it.</summary>
    public static ConfigDocument Of(SchedulerConfig config) => new(config, null, []);

    /// <summary>Equality by value, the unknown keys included (records compare arrays by reference).</summary>
    public bool Equals(ConfigDocument? other) =>
        other is not null && Config.Equals(other.Config) && DiffusersVersion == other.DiffusersVersion
        && UnknownKeys.SequenceEqual(other.UnknownKeys);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Config, DiffusersVersion, UnknownKeys.Length);
}
