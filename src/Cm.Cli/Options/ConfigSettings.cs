using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cm.Cli.Options;

/// <summary>A config file (optional: diffusers' defaults without one) plus per-field overrides.</summary>
public class ConfigSettings : ConfigOverrideSettings
{
    /// <summary>Path of a diffusers <c>scheduler_config.json</c>.</summary>
    [CommandOption("-c|--config <FILE>")]
    [Description("A diffusers scheduler_config.json (CMStochasticIterativeScheduler). Without it, diffusers' defaults. Overrides apply on top.")]
    public string? Config { get; init; }
}
