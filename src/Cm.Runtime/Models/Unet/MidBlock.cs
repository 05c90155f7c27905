using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// diffusers' <c>UNetMidBlock2D</c>: <c>resnet0 → attention → resnet1</c> at the lowest resolution. Its attention's
/// GroupNorm follows the <c>attn_norm_num_groups</c> rule (<see cref="UnetConfig.MidAttentionGroups"/>).
/// </summary>
public sealed class MidBlock : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "attentions")] private readonly TorchSharp.Modules.ModuleList<Attention>? _attentions;
    [ComponentName(Name = "resnets")] private readonly TorchSharp.Modules.ModuleList<ResnetBlock2D> _resnets;

    /// <summary>The mid block of <paramref name="c"/>.</summary>
    public MidBlock(UnetConfig c, Device device) : base(nameof(MidBlock))
    {
        var ch = c.Channels[^1];
        if (c.MidAttention)
            _attentions = nn.ModuleList(new Attention("mid_block.attentions.0", ch, c.HeadsFor(ch), c.HeadWidthFor(ch), c.MidAttentionGroups, c.NormEps, c.MidScale, device));
        _resnets = nn.ModuleList(
            new ResnetBlock2D("mid_block.resnets.0", ch, ch, c.TimeEmbedDim, c, Resample.None, c.MidScale, device),
            new ResnetBlock2D("mid_block.resnets.1", ch, ch, c.TimeEmbedDim, c, Resample.None, c.MidScale, device));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor h, Tensor emb) => Run(h, emb, null);

    /// <summary>The forward pass, reporting activations to <paramref name="sink"/>.</summary>
    public Tensor Run(Tensor h, Tensor emb, ActivationSink? sink)
    {
        h = _resnets[0].Run(h, emb, sink);
        if (_attentions is not null) h = _attentions[0].Run(h, sink);
        h = _resnets[1].Run(h, emb, sink);
        sink?.Invoke("mid_block", h);
        return h;
    }
}
