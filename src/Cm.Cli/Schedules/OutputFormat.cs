namespace Cm.Cli.Schedules;

/// <summary>How <c>cm schedule</c> prints: a table for people, JSON or CSV for scripts.</summary>
public enum OutputFormat
{
    /// <summary>A table with rounded-for-reading numbers.</summary>
    Table,
    /// <summary>The documented JSON (docs/schedule-json.md), exact.</summary>
    Json,
    /// <summary>One row per step, exact numbers.</summary>
    Csv,
}
