namespace Cm.Pure.Errors;

/// <summary>A policy named a level that does not exist.</summary>
public sealed record UnknownLevel(string Name)
    : CmError($"--require: unknown level '{(Name.Length <= 40 ? Name : Name[..40] + "…")}'; the levels are chain, recomputed, seeded, signed, replayed (comma-separated)",
        ErrorKind.Usage, 1803);
