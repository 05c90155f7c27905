using TorchSharp;
using TorchSharp.Utils;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// Receives a module's output under its diffusers module name (e.g. <c>down_blocks.1.attentions.0</c>), for
/// parity checks against recorded activations. The tensor is only valid during the call: copy what you keep.
/// </summary>
public delegate void ActivationSink(string name, torch.Tensor value);
