namespace Cm.Pure.Errors;

/// <summary>A shard manifest that is not one: bad JSON, a missing or unknown key, a value out of range.</summary>
public sealed record InvalidManifest(string Name, string Field, string Reason)
    : CmError($"{Name}: not a valid shard manifest: {Field}: {Reason}", ErrorKind.InvalidInput, 1710);
