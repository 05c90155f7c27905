using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// diffusers' <c>UNet2DModel</c> (the consistency-model network of Song et al. 2023, from Dhariwal &amp; Nichol's
/// ADM) for the block types the released checkpoints use, with diffusers' parameter names so a diffusers
/// state dict loads by name. <c>forward(x [N,C,H,W], t float32 [N], labels int [N] or null)</c>; see the golden
/// README's "forward computation" for the data flow.
/// </summary>
public sealed class Unet2DModel : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    [ComponentName(Name = "conv_in")] private readonly nn.Module<Tensor, Tensor> _convIn;
    [ComponentName(Name = "time_embedding")] private readonly TimestepEmbedding _timeEmbedding;
    [ComponentName(Name = "class_embedding")] private readonly nn.Module<Tensor, Tensor>? _classEmbedding;
    [ComponentName(Name = "down_blocks")] private readonly TorchSharp.Modules.ModuleList<DownBlock> _down;
    [ComponentName(Name = "mid_block")] private readonly MidBlock _mid;
    [ComponentName(Name = "up_blocks")] private readonly TorchSharp.Modules.ModuleList<UpBlock> _up;
    [ComponentName(Name = "conv_norm_out")] private readonly nn.Module<Tensor, Tensor> _convNormOut;
    [ComponentName(Name = "conv_out")] private readonly nn.Module<Tensor, Tensor> _convOut;

    /// <summary>Builds the network of <paramref name="config"/> on <paramref name="device"/> with PyTorch's default initialisation.</summary>
    public Unet2DModel(UnetConfig config, Device? device = null) : base(nameof(Unet2DModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        var dev = device ?? CPU;
        var c0 = config.Channels[0];
        _convIn = nn.Conv2d(config.InChannels, c0, 3, padding: 1, device: dev);
        _timeEmbedding = new TimestepEmbedding(c0, config.TimeEmbedDim, dev);
        if (config.ClassCount > 0) _classEmbedding = nn.Embedding(config.ClassCount, config.TimeEmbedDim, device: dev);
        var input = c0;
        _down = nn.ModuleList(config.Down.Select((kind, i) =>
        {
            var block = new DownBlock(i, kind, input, config, dev);
            input = config.Channels[i];
            return block;
        }).ToArray());
        _mid = new MidBlock(config, dev);
        _up = nn.ModuleList(config.Up.Select((kind, i) => new UpBlock(i, kind, config, dev)).ToArray());
        _convNormOut = nn.GroupNorm(config.Groups, c0, config.NormEps, device: dev);
        _convOut = nn.Conv2d(c0, config.OutChannels, 3, padding: 1, device: dev);
        RegisterComponents();
    }

    /// <summary>The validated config the network was built from.</summary>
    public UnetConfig Config { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor sample, Tensor timesteps, Tensor? classLabels) => Run(sample, timesteps, classLabels, null);

    /// <summary>
    /// The forward pass, reporting every module output to <paramref name="sink"/> under diffusers' module names
    /// (<c>time_proj</c>, <c>time_embedding</c>, <c>class_embedding</c>, <c>emb</c>, <c>conv_in</c>, blocks, …, <c>conv_out</c>).
    /// Shapes and labels must fit (see <see cref="UnetModel"/>, which checks them first).
    /// </summary>
    public Tensor Run(Tensor sample, Tensor timesteps, Tensor? classLabels, ActivationSink? sink)
    {
        using var scope = NewDisposeScope();
        var n = sample.shape[0];
        var x = Config.CenterInputSample ? sample * 2 - 1.0 : sample;
        // diffusers: a 0-dim timestep becomes [1], then t · ones(N) broadcasts one value over the batch.
        var t = timesteps.dim() == 0 ? timesteps.reshape(1) : timesteps;
        if (t.shape[0] != n) t = t.expand(n);
        var tproj = SinusoidalEmbedding.Of(t.to(float32), Config.Channels[0], Config.FlipSinToCos, Config.FreqShift);
        sink?.Invoke("time_proj", tproj);
        var emb = _timeEmbedding.call(tproj);
        sink?.Invoke("time_embedding", emb);
        if (_classEmbedding is not null)
        {
            if (classLabels is null)
                throw new ArgumentException("This UNet is class-conditional (num_class_embeds is set): class labels are required.");
            var cemb = _classEmbedding.call(classLabels.to(int64));
            sink?.Invoke("class_embedding", cemb);
            emb = emb + cemb;
        }
        sink?.Invoke("emb", emb);

        var h = _convIn.call(x);
        sink?.Invoke("conv_in", h);
        var skips = new List<Tensor> { h };
        foreach (var block in _down) h = block.Run(h, emb, skips, sink);
        h = _mid.Run(h, emb, sink);
        foreach (var block in _up) h = block.Run(h, emb, skips, sink);
        h = _convNormOut.call(h);
        sink?.Invoke("conv_norm_out", h);
        h = nn.functional.silu(h);
        sink?.Invoke("conv_act", h);
        h = _convOut.call(h);
        sink?.Invoke("conv_out", h);
        return h.MoveToOuterDisposeScope();
    }
}
