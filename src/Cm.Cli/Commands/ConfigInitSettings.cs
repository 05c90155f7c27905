using System.ComponentModel;
using Cm.Cli.Options;
using Cm.Runtime.Configs;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm config init</c>: where to write, and overrides of diffusers' defaults.</summary>
public sealed class ConfigInitSettings : ConfigOverrideSettings, IOutputSettings
{
    /// <summary>Output path.</summary>
    [CommandOption("-o|--out <FILE>")]
    [Description("Where to write the config (default scheduler_config.json in the current folder).")]
    [DefaultValue(DiffusersConfigFile.DefaultFileName)]
    public string Out { get; init; } = DiffusersConfigFile.DefaultFileName;

    /// <inheritdoc/>
    [CommandOption("--force")]
    [Description(OutputSettings.ForceDescription)]
    public bool Force { get; init; }
}
