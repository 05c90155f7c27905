using TorchSharp;
using static TorchSharp.torch;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// diffusers' <c>UNetMidBlock2D</c>: <c>resnet0 → attention → resnet1</c> at the lowest resolution. Its attention's
/// GroupNorm follows the <c>attn_norm_num_groups</c> rule (<see cref="UnetConfig.MidAttentionGroups"/>).
/// </summary>
public sealed class MidBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ResnetBlock2D _resnet0, _resnet1;
    private readonly Attention? _attention;

    /// <summary>The mid block of <paramref name="c"/>.</summary>
    public MidBlock(UnetConfig c, Device device) : base(nameof(MidBlock))
    {
        var ch = c.Channels[^1];
        _resnet0 = new ResnetBlock2D("mid_block.resnets.0", ch, ch, c.TimeEmbedDim, c, Resample.None, c.MidScale, device);
        _resnet1 = new ResnetBlock2D("mid_block.resnets.1", ch, ch, c.TimeEmbedDim, c, Resample.None, c.MidScale, device);
        if (c.MidAttention)
        {
            _attention = new Attention("mid_block.attentions.0", ch, c.HeadsFor(ch), c.HeadWidthFor(ch), c.MidAttentionGroups, c.NormEps, c.MidScale, device);
            register_module("attentions", nn.ModuleList(_attention));
        }
        register_module("resnets", nn.ModuleList(_resnet0, _resnet1));
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor h, Tensor emb) => Run(h, emb, null);

    /// <summary>The forward pass, reporting activations to <paramref name="sink"/>.</summary>
    public Tensor Run(Tensor h, Tensor emb, ActivationSink? sink)
    {
        h = _resnet0.Run(h, emb, sink);
        if (_attention is not null) h = _attention.Run(h, sink);
        h = _resnet1.Run(h, emb, sink);
        sink?.Invoke("mid_block", h);
        return h;
    }
}
