namespace Cm.Pure.Errors;

/// <summary>A public entry point of the core was called with null where a value is required.</summary>
public sealed record MissingArgument(string Name, string Where)
    : CmError($"{Where}: the argument '{Name}' is null; pass a value", ErrorKind.InvalidInput, 1882);
