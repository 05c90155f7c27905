using System.Diagnostics.Contracts;
using System.Globalization;
using Spectre.Console;

namespace Cm.Cli.Schedules;

/// <summary>The schedule as a table for people: six significant digits (exact values: --format json).</summary>
public static class ScheduleTable
{
    /// <summary>A Spectre table (a value; nothing is printed here).</summary>
    [Pure]
    public static Table Render(ScheduleView v)
    {
        var table = new Table()
            .Title(Markup.Escape($"{v.Schedule.Steps}-step schedule, {v.Schedule.Spec}, N = {v.Config.NumTrainTimesteps}"))
            .AddColumns("i", "index", "timestep", "σ", "σ_next", "c_skip", "c_out", "noise scale");
        foreach (var column in table.Columns) column.RightAligned();
        foreach (var s in v.Steps)
            table.AddRow(
                s.Index.ToString(CultureInfo.InvariantCulture),
                v.Schedule.Indices[s.Index].ToString(CultureInfo.InvariantCulture),
                s.Timestep.ToString("F4", CultureInfo.InvariantCulture),
                F(s.Sigma), F(s.SigmaNext), F(s.CSkip), F(s.COut),
                s.DrawsNoise ? F(s.NoiseScale) : F(s.NoiseScale) + " (no noise drawn)");
        return table.Caption(Markup.Escape("noise scale = sqrt(clamp(σ_next, σ_min, σ_max)² − σ_min²); exact values: --format json"));
    }

    private static string F(float x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
