using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm config check</c>: the file to check.</summary>
public sealed class ConfigCheckSettings : CommandSettings
{
    /// <summary>The config file.</summary>
    [CommandArgument(0, "<FILE>")]
    [Description("The scheduler_config.json to validate.")]
    public string File { get; init; } = "";
}
