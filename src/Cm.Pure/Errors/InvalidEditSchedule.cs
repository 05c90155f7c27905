namespace Cm.Pure.Errors;

/// <summary>
/// An openai-convention editing schedule (t_min, t_max, ρ, steps, ts) that cannot run: non-positive or
/// non-finite levels, t_min ≥ t_max, fewer than 2 grid points, or an index of ts outside the grid.
/// </summary>
public sealed record InvalidEditSchedule(string Reason)
    : CmError("invalid editing schedule: " + Reason, ErrorKind.InvalidInput, 1503);
