namespace Cm.Pure.Errors;

/// <summary>
/// A config that the chosen schedule arithmetic cannot reproduce bit for bit: its noise levels would take
/// numpy's SVML kernels off their main path (overflow, underflow, subnormal powers), which Cm does not model.
/// </summary>
public sealed record ScheduleMathOutOfRange(string Math, string Reason)
    : CmError($"the {Math} schedule arithmetic does not cover this config: {Reason}; " +
        "choose sigmas and rho inside that range or use --schedule-math glibc", ErrorKind.InvalidInput, 1010);
