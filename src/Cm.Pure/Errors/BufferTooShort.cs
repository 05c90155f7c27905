namespace Cm.Pure.Errors;

/// <summary>A caller-owned buffer shorter than the tensor it must hold.</summary>
public sealed record BufferTooShort(string Buffer, int Needed, int Length)
    : CmError($"the {Buffer} buffer holds {Length} elements, but the step needs {Needed}; pass a buffer of the sample's size", ErrorKind.InvalidInput, 1883);
