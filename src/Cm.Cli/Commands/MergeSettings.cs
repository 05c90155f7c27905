using System.ComponentModel;
using Cm.Cli.Options;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm merge</c>.</summary>
public sealed class MergeSettings : CommandSettings, IOutputSettings
{
    /// <summary>The shard manifests.</summary>
    [CommandArgument(0, "<MANIFESTS>")]
    [Description("Every shard's manifest-K.json (any order), e.g. shards/manifest-*.json.")]
    public string[] Manifests { get; init; } = [];

    /// <summary>The merged samples.</summary>
    [CommandOption("-o|--out <FILE>")]
    [Description("The merged samples, a float32 .npy of shape [[N, C, H, W]] (default all.npy); its manifest goes next to it as <name>.manifest.json.")]
    [DefaultValue("all.npy")]
    public string Out { get; init; } = "all.npy";

    /// <summary>The merged manifest.</summary>
    [CommandOption("--manifest <FILE>")]
    [Description("Where the merged manifest goes (default: --out with .manifest.json).")]
    public string? Manifest { get; init; }

    /// <summary>A grid picture as well.</summary>
    [CommandOption("--png <FILE>")]
    [Description("Also write the merged samples as a PNG grid.")]
    public string? Png { get; init; }

    /// <summary>Verify every trace.</summary>
    [CommandOption("--verify")]
    [Description("Also verify every shard's traces step by step (as cm verify does); exit 3 at the first that fails.")]
    public bool Verify { get; init; }

    /// <inheritdoc/>
    [CommandOption("--force")]
    [Description(OutputSettings.ForceDescription)]
    public bool Force { get; init; }
}
