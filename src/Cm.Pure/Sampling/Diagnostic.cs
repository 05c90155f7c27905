namespace Cm.Pure.Sampling;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticLevel
{
    /// <summary>Worth knowing; the result is still what was asked for.</summary>
    Info,
    /// <summary>Probably a mistake; diffusers logs these as warnings.</summary>
    Warning,
}

/// <summary>
/// Something the core noticed but that is not an error, returned as a value for the shell to log
/// or show; the core never logs.
/// </summary>
public sealed record Diagnostic(DiagnosticLevel Level, string Code, string Message)
{
    /// <summary>diffusers' warning when <c>step</c> runs before any <c>scale_model_input</c>.</summary>
    public static Diagnostic ScaleModelInputNotCalled { get; } = new(
        DiagnosticLevel.Warning, "scale-model-input-not-called",
        "The model input was never scaled (ScaleModelInput was not called): the model saw the raw sample. " +
        "Divide the sample by the step's input divisor before calling the model.");

    /// <summary>
    /// The model output held NaN or ±∞ (a diverged network, an overflowed input): the step's sample is not a
    /// number there. The step still returns, so a caller sees exactly what the model did.
    /// </summary>
    public static Diagnostic NonFiniteModelOutput { get; } = new(
        DiagnosticLevel.Warning, "non-finite-model-output",
        "The model output holds NaN or infinite values, so the next sample does too. Check the model and the " +
        "config (a sigma_max or sigma_data too large for float32 overflows the model input).");
}
