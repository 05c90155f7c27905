namespace Cm.Pure.Errors;

/// <summary>
/// An integer was passed where a timestep is expected. Like diffusers, Cm rejects it: the scheduled
/// timesteps are real numbers t = 250·ln(σ), and an integer is almost always an index by mistake.
/// </summary>
public sealed record IntegerTimestep(string TypeName)
    : CmError(
        $"integer timesteps ({TypeName}) are not supported: pass one of the schedule's timesteps " +
        "(a float64 from Schedule.Timesteps), not an index", ErrorKind.InvalidInput, 1004);
