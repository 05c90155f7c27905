using System.ComponentModel;
using Cm.Cli.Options;
using Cm.Cli.Schedules;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm schedule</c>: config, schedule, output format and an optional plot.</summary>
public sealed class ScheduleCommandSettings : ScheduleSettings, IOutputSettings
{
    /// <summary>Output format.</summary>
    [CommandOption("-f|--format <FORMAT>")]
    [Description("table (default), json (exact; schema in docs/schedule-json.md) or csv.")]
    [DefaultValue(OutputFormat.Table)]
    public OutputFormat Format { get; init; } = OutputFormat.Table;

    /// <summary>PNG path for a plot of σ per step.</summary>
    [CommandOption("--plot <PNG>")]
    [Description("Also write a PNG plot of sigma per step (log scale) to this path.")]
    public string? Plot { get; init; }

    /// <inheritdoc/>
    [CommandOption("--force")]
    [Description(OutputSettings.ForceDescription)]
    public bool Force { get; init; }
}
