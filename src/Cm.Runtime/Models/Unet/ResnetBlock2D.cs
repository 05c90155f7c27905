using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Cm.Runtime.Models.Unet;

/// <summary>Resampling inside a <see cref="ResnetBlock2D"/> (diffusers' <c>up=True</c> / <c>down=True</c>).</summary>
public enum Resample
{
    /// <summary>Same resolution.</summary>
    None,
    /// <summary>Nearest-neighbour ×2 of both paths, before <c>conv1</c>.</summary>
    Up,
    /// <summary>2×2 average pooling (stride 2) of both paths, before <c>conv1</c>.</summary>
    Down,
}

/// <summary>
/// diffusers' <c>ResnetBlock2D</c> (BigGAN-style residual block, Dhariwal &amp; Nichol 2021 App. A):
/// <c>h = conv1(resample(silu(norm1(x))))</c>; time embedding <c>s = time_emb_proj(silu(emb))</c> added before
/// <c>norm2</c> ("default") or as <c>norm2(h)·(1 + scale) + shift</c> ("scale_shift", scale = first half);
/// <c>h = conv2(silu(h))</c>; <c>out = (shortcut(resample(x)) + h) / output_scale</c>.
/// </summary>
public sealed class ResnetBlock2D : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "norm1")] private readonly nn.Module<Tensor, Tensor> _norm1;
    [ComponentName(Name = "conv1")] private readonly nn.Module<Tensor, Tensor> _conv1;
    [ComponentName(Name = "time_emb_proj")] private readonly nn.Module<Tensor, Tensor> _timeEmbProj;
    [ComponentName(Name = "norm2")] private readonly nn.Module<Tensor, Tensor> _norm2;
    [ComponentName(Name = "conv2")] private readonly nn.Module<Tensor, Tensor> _conv2;
    [ComponentName(Name = "conv_shortcut")] private readonly nn.Module<Tensor, Tensor>? _convShortcut;
    private readonly Resample _resample;
    private readonly TimeShift _shift;
    private readonly double _outputScale;
    private readonly string _path;

    /// <summary>Builds the block; <paramref name="path"/> is its diffusers module name.</summary>
    public ResnetBlock2D(string path, int inChannels, int outChannels, int tembChannels, UnetConfig c,
        Resample resample, double outputScale, Device device) : base(nameof(ResnetBlock2D))
    {
        _path = path;
        _resample = resample;
        _shift = c.Shift;
        _outputScale = outputScale;
        _norm1 = nn.GroupNorm(c.Groups, inChannels, c.NormEps, device: device);
        _conv1 = nn.Conv2d(inChannels, outChannels, 3, padding: 1, device: device);
        _timeEmbProj = nn.Linear(tembChannels, c.Shift == TimeShift.ScaleShift ? 2 * outChannels : outChannels, device: device);
        _norm2 = nn.GroupNorm(c.Groups, outChannels, c.NormEps, device: device);
        _conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, device: device);
        if (inChannels != outChannels) _convShortcut = nn.Conv2d(inChannels, outChannels, 1, device: device);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor x, Tensor emb) => Run(x, emb, null);

    /// <summary>The forward pass, reporting the block's output to <paramref name="sink"/>.</summary>
    public Tensor Run(Tensor x, Tensor emb, ActivationSink? sink)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.silu(_norm1.call(x));
        var input = x;
        if (_resample == Resample.Up)
        {
            input = Upsample(input);
            h = Upsample(h);
        }
        else if (_resample == Resample.Down)
        {
            input = nn.functional.avg_pool2d(input, 2, 2);
            h = nn.functional.avg_pool2d(h, 2, 2);
        }
        h = _conv1.call(h);
        var s = _timeEmbProj.call(nn.functional.silu(emb)).unsqueeze(-1).unsqueeze(-1);
        if (_shift == TimeShift.Default)
            h = _norm2.call(h + s);
        else
        {
            var halves = s.chunk(2, 1);
            h = _norm2.call(h) * (halves[0] + 1) + halves[1];
        }
        h = _conv2.call(nn.functional.silu(h));
        if (_convShortcut is not null) input = _convShortcut.call(input.contiguous());
        var output = (input + h) / _outputScale;
        sink?.Invoke(_path, output);
        return output.MoveToOuterDisposeScope();
    }

    private static Tensor Upsample(Tensor t) =>
        nn.functional.interpolate(t, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest);
}
