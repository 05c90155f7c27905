using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// diffusers' <c>AttnUpBlock2D</c> (upsample_type "resnet") and <c>ResnetUpsampleBlock2D</c>: layers_per_block + 1
/// layers, each concatenating the last skip onto the channels, then a resnet (then an attention); except on the
/// last level a <see cref="ResnetBlock2D"/> with <c>up</c>.
/// </summary>
public sealed class UpBlock : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "resnets")] private readonly TorchSharp.Modules.ModuleList<ResnetBlock2D> _resnets;
    [ComponentName(Name = "attentions")] private readonly TorchSharp.Modules.ModuleList<Attention>? _attentions;
    [ComponentName(Name = "upsamplers")] private readonly TorchSharp.Modules.ModuleList<ResnetBlock2D>? _upsamplers;
    private readonly string _path;

    /// <summary>
    /// Level <paramref name="index"/> of the up path (0 = lowest resolution). Channel bookkeeping as in
    /// <c>UNet2DModel</c>: out = reversed[i], prev = reversed[i−1] (reversed[0] for i = 0), skip-in = reversed[i+1] (clamped).
    /// </summary>
    public UpBlock(int index, UpBlockKind kind, UnetConfig c, Device device) : base(nameof(UpBlock))
    {
        _path = $"up_blocks.{index}";
        var rev = c.Channels.Reverse().ToArray();
        var outChannels = rev[index];
        var prevOutput = rev[Math.Max(index - 1, 0)];
        var inChannels = rev[Math.Min(index + 1, rev.Length - 1)];
        var layers = c.LayersPerBlock + 1;
        _resnets = nn.ModuleList(Enumerable.Range(0, layers)
            .Select(j =>
            {
                var skip = j == layers - 1 ? inChannels : outChannels;
                var resIn = j == 0 ? prevOutput : outChannels;
                return new ResnetBlock2D($"{_path}.resnets.{j}", resIn + skip, outChannels, c.TimeEmbedDim, c, Resample.None, 1.0, device);
            })
            .ToArray());
        if (kind == UpBlockKind.Attention)
            _attentions = nn.ModuleList(Enumerable.Range(0, layers)
                .Select(j => new Attention($"{_path}.attentions.{j}", outChannels, c.HeadsFor(outChannels), c.HeadWidthFor(outChannels), c.Groups, c.NormEps, 1.0, device))
                .ToArray());
        if (index < c.Levels - 1)
            _upsamplers = nn.ModuleList(new ResnetBlock2D($"{_path}.upsamplers.0", outChannels, outChannels, c.TimeEmbedDim, c, Resample.Up, 1.0, device));
        RegisterComponents();
    }

    /// <summary>Skips this block consumes.</summary>
    public int SkipCount => _resnets.Count;

    /// <inheritdoc/>
    public override Tensor forward(Tensor h, Tensor emb) =>
        throw new NotSupportedException("An up block needs the skips of the down path; call Run.");

    /// <summary>The forward pass; pops its skips from the end of <paramref name="skips"/>.</summary>
    public Tensor Run(Tensor h, Tensor emb, List<Tensor> skips, ActivationSink? sink)
    {
        for (var j = 0; j < _resnets.Count; j++)
        {
            var skip = skips[^1];
            skips.RemoveAt(skips.Count - 1);
            h = _resnets[j].Run(torch.cat([h, skip], 1), emb, sink);
            if (_attentions is not null) h = _attentions[j].Run(h, sink);
        }
        if (_upsamplers is not null) h = _upsamplers[0].Run(h, emb, sink);
        sink?.Invoke(_path, h);
        return h;
    }
}
