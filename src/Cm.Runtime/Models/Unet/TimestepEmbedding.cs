using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Cm.Runtime.Models.Unet;

/// <summary>diffusers' <c>TimestepEmbedding</c> (<c>time_embedding</c>): <c>linear_2(silu(linear_1(e)))</c>.</summary>
public sealed class TimestepEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "linear_1")] private readonly nn.Module<Tensor, Tensor> _linear1;
    [ComponentName(Name = "linear_2")] private readonly nn.Module<Tensor, Tensor> _linear2;

    /// <summary>From the sinusoidal width to the embedding width.</summary>
    public TimestepEmbedding(int inDim, int outDim, Device device) : base(nameof(TimestepEmbedding))
    {
        _linear1 = nn.Linear(inDim, outDim, device: device);
        _linear2 = nn.Linear(outDim, outDim, device: device);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor e)
    {
        using var h = _linear1.call(e);
        using var a = nn.functional.silu(h);
        return _linear2.call(a);
    }
}
