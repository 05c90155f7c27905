using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// diffusers' <c>ResnetDownsampleBlock2D</c> and <c>AttnDownBlock2D</c> (downsample_type "resnet"): per layer a
/// resnet (then an attention), each output pushed as a skip; then, except on the last level, a
/// <see cref="ResnetBlock2D"/> with <c>down</c> whose output is pushed too.
/// </summary>
public sealed class DownBlock : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "resnets")] private readonly TorchSharp.Modules.ModuleList<ResnetBlock2D> _resnets;
    [ComponentName(Name = "attentions")] private readonly TorchSharp.Modules.ModuleList<Attention>? _attentions;
    [ComponentName(Name = "downsamplers")] private readonly TorchSharp.Modules.ModuleList<ResnetBlock2D>? _downsamplers;
    private readonly string _path;

    /// <summary>Level <paramref name="index"/> of the down path, from <paramref name="inChannels"/> channels.</summary>
    public DownBlock(int index, DownBlockKind kind, int inChannels, UnetConfig c, Device device) : base(nameof(DownBlock))
    {
        _path = $"down_blocks.{index}";
        var outChannels = c.Channels[index];
        _resnets = nn.ModuleList(Enumerable.Range(0, c.LayersPerBlock)
            .Select(j => new ResnetBlock2D($"{_path}.resnets.{j}", j == 0 ? inChannels : outChannels, outChannels, c.TimeEmbedDim, c, Resample.None, 1.0, device))
            .ToArray());
        if (kind == DownBlockKind.Attention)
            _attentions = nn.ModuleList(Enumerable.Range(0, c.LayersPerBlock)
                .Select(j => new Attention($"{_path}.attentions.{j}", outChannels, c.HeadsFor(outChannels), c.HeadWidthFor(outChannels), c.Groups, c.NormEps, 1.0, device))
                .ToArray());
        if (index < c.Levels - 1)
            _downsamplers = nn.ModuleList(new ResnetBlock2D($"{_path}.downsamplers.0", outChannels, outChannels, c.TimeEmbedDim, c, Resample.Down, 1.0, device));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor h, Tensor emb) => Run(h, emb, [], null);

    /// <summary>The forward pass; pushes every skip onto <paramref name="skips"/>.</summary>
    public Tensor Run(Tensor h, Tensor emb, List<Tensor> skips, ActivationSink? sink)
    {
        for (var j = 0; j < _resnets.Count; j++)
        {
            h = _resnets[j].Run(h, emb, sink);
            if (_attentions is not null) h = _attentions[j].Run(h, sink);
            skips.Add(h);
        }
        if (_downsamplers is not null)
        {
            h = _downsamplers[0].Run(h, emb, sink);
            skips.Add(h);
        }
        sink?.Invoke(_path, h);
        return h;
    }
}
