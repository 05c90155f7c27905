using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>
/// A PyTorch pickle checkpoint (<c>.bin</c>/<c>.pt</c> state dict): Cm never unpickles (it can run code).
/// The message says how to get the safetensors file instead.
/// </summary>
public sealed record PickleCheckpoint(string Path)
    : CmError(
        $"'{Path}' is a PyTorch pickle checkpoint, which Cm does not load (unpickling can run arbitrary code). " +
        "Download diffusion_pytorch_model.safetensors from the same Hub repository (every openai/diffusers-c*_* repository has it), " +
        "or convert once with Python: safetensors.torch.save_file(torch.load(path), 'diffusion_pytorch_model.safetensors').",
        ErrorKind.InvalidInput, 1612);
