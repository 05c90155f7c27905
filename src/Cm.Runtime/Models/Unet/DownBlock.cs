using TorchSharp;
using static TorchSharp.torch;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// diffusers' <c>ResnetDownsampleBlock2D</c> and <c>AttnDownBlock2D</c> (downsample_type "resnet"): per layer a
/// resnet (then an attention), each output pushed as a skip; then, except on the last level, a
/// <see cref="ResnetBlock2D"/> with <c>down</c> whose output is pushed too.
/// </summary>
public sealed class DownBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ResnetBlock2D[] _resnets;
    private readonly Attention[] _attentions;
    private readonly ResnetBlock2D? _downsampler;
    private readonly string _path;

    /// <summary>Level <paramref name="index"/> of the down path, from <paramref name="inChannels"/> channels.</summary>
    public DownBlock(int index, DownBlockKind kind, int inChannels, UnetConfig c, Device device) : base(nameof(DownBlock))
    {
        _path = $"down_blocks.{index}";
        var outChannels = c.Channels[index];
        _resnets = Enumerable.Range(0, c.LayersPerBlock)
            .Select(j => new ResnetBlock2D($"{_path}.resnets.{j}", j == 0 ? inChannels : outChannels, outChannels, c.TimeEmbedDim, c, Resample.None, 1.0, device))
            .ToArray();
        register_module("resnets", nn.ModuleList(_resnets));
        _attentions = kind == DownBlockKind.Attention
            ? Enumerable.Range(0, c.LayersPerBlock)
                .Select(j => new Attention($"{_path}.attentions.{j}", outChannels, c.HeadsFor(outChannels), c.HeadWidthFor(outChannels), c.Groups, c.NormEps, 1.0, device))
                .ToArray()
            : [];
        if (_attentions.Length > 0) register_module("attentions", nn.ModuleList(_attentions));
        if (index < c.Levels - 1)
        {
            _downsampler = new ResnetBlock2D($"{_path}.downsamplers.0", outChannels, outChannels, c.TimeEmbedDim, c, Resample.Down, 1.0, device);
            register_module("downsamplers", nn.ModuleList(_downsampler));
        }
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor h, Tensor emb) => Run(h, emb, [], null);

    /// <summary>The forward pass; pushes every skip onto <paramref name="skips"/>.</summary>
    public Tensor Run(Tensor h, Tensor emb, List<Tensor> skips, ActivationSink? sink)
    {
        for (var j = 0; j < _resnets.Length; j++)
        {
            h = _resnets[j].Run(h, emb, sink);
            if (_attentions.Length > 0) h = _attentions[j].Run(h, sink);
            skips.Add(h);
        }
        if (_downsampler is not null)
        {
            h = _downsampler.Run(h, emb, sink);
            skips.Add(h);
        }
        sink?.Invoke(_path, h);
        return h;
    }
}
