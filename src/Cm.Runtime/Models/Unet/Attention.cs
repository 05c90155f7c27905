using TorchSharp;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// diffusers' spatial self-attention (<c>Attention</c> run by <c>AttnProcessor</c>, from the deprecated attention
/// block): the <c>[N, C, H, W]</c> map as <c>HW</c> tokens of width C, optional GroupNorm over channels, multi-head
/// <c>softmax(d^−½·q kᵀ) v</c> (Vaswani et al. 2017, eq. 1), output projection, residual, divided by the
/// rescale factor. Scores use <c>baddbmm</c> with alpha = d^−½ as diffusers does, but on a zero tensor: never on
/// uninitialised memory (torch can propagate NaN from it although beta = 0; golden README, "NaN hazard").
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "group_norm")] private readonly nn.Module<Tensor, Tensor>? _groupNorm;
    [ComponentName(Name = "to_q")] private readonly nn.Module<Tensor, Tensor> _toQ;
    [ComponentName(Name = "to_k")] private readonly nn.Module<Tensor, Tensor> _toK;
    [ComponentName(Name = "to_v")] private readonly nn.Module<Tensor, Tensor> _toV;
    // diffusers' to_out is ModuleList([Linear, Dropout]): the Linear's parameters are to_out.0.*.
    [ComponentName(Name = "to_out")] private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> _toOut;
    private readonly int _heads;
    private readonly double _scale, _rescale;
    private readonly string _path;

    /// <summary>Attention over <paramref name="channels"/> channels; <paramref name="groups"/> 0 means no GroupNorm.</summary>
    public Attention(string path, int channels, int heads, int headWidth, int groups, double eps, double rescale, Device device)
        : base(nameof(Attention))
    {
        _path = path;
        _heads = heads;
        _scale = Math.Pow(headWidth, -0.5);
        _rescale = rescale;
        var inner = heads * headWidth;
        if (groups > 0) _groupNorm = nn.GroupNorm(groups, channels, eps, device: device);
        _toQ = nn.Linear(channels, inner, device: device);
        _toK = nn.Linear(channels, inner, device: device);
        _toV = nn.Linear(channels, inner, device: device);
        _toOut = nn.ModuleList<nn.Module<Tensor, Tensor>>(nn.Linear(inner, channels, device: device), nn.Dropout(0.0));
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor h) => Run(h, null);

    /// <summary>The forward pass, reporting the output to <paramref name="sink"/>.</summary>
    public Tensor Run(Tensor input, ActivationSink? sink)
    {
        using var scope = NewDisposeScope();
        var (n, c, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        var flat = input.view(n, c, height * width);
        var tokens = (_groupNorm is null ? flat : _groupNorm.call(flat)).transpose(1, 2);
        var q = HeadsToBatch(_toQ.call(tokens));
        var k = HeadsToBatch(_toK.call(tokens));
        var v = HeadsToBatch(_toV.call(tokens));
        var zeros = torch.zeros(q.shape[0], q.shape[1], k.shape[1], dtype: q.dtype, device: q.device);
        // TorchSharp: batch1.baddbmm(batch2, input) = beta·input + alpha·(batch1 @ batch2).
        var scores = q.baddbmm(k.transpose(-1, -2), zeros, beta: 0, alpha: (float)_scale);
        var probs = scores.softmax(-1);
        var o = BatchToHeads(torch.bmm(probs, v));
        o = _toOut[0].call(o).transpose(-1, -2).reshape(n, c, height, width);
        var output = (o + input) / _rescale;
        sink?.Invoke(_path, output);
        return output.MoveToOuterDisposeScope();
    }

    // [N, L, heads·d] → [N·heads, L, d]
    private Tensor HeadsToBatch(Tensor t)
    {
        var (n, l, dim) = (t.shape[0], t.shape[1], t.shape[2]);
        return t.reshape(n, l, _heads, dim / _heads).permute(0, 2, 1, 3).reshape(n * _heads, l, dim / _heads);
    }

    // [N·heads, L, d] → [N, L, heads·d]
    private Tensor BatchToHeads(Tensor t)
    {
        var (b, l, d) = (t.shape[0], t.shape[1], t.shape[2]);
        return t.reshape(b / _heads, _heads, l, d).permute(0, 2, 1, 3).reshape(b / _heads, l, d * _heads);
    }
}
