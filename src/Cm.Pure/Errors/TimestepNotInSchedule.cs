using System.Globalization;

namespace Cm.Pure.Errors;

/// <summary>
/// A timestep that matches no scheduled timestep exactly (float64 comparison). diffusers raises an
/// IndexError; a float32-rounded timestep is the usual cause.
/// </summary>
public sealed record TimestepNotInSchedule(double Timestep)
    : CmError(
        $"timestep {Timestep.ToString("R", CultureInfo.InvariantCulture)} is not in the schedule: pass one of the schedule's " +
        "timesteps exactly (as float64; a float32-rounded value does not match), or set a begin index", ErrorKind.InvalidInput, 1003);
