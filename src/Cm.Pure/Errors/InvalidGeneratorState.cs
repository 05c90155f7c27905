namespace Cm.Pure.Errors;

/// <summary>A PyTorch generator state image that is not one <c>torch.Generator.get_state()</c> can produce.</summary>
public sealed record InvalidGeneratorState(string Reason)
    : CmError("invalid torch generator state: " + Reason, ErrorKind.InvalidInput, 1008);
