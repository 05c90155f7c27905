using TorchSharp;
using TorchSharp.Utils;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// diffusers' <c>Timesteps</c> module (<c>time_proj</c>): the transformer sinusoidal embedding of the time input
/// (Vaswani et al. 2017 §3.5; Ho et al. 2020 App. B), in float32 and in diffusers' operation order:
/// <c>f_i = exp(−ln(10000)·i / (half − shift))</c>, <c>a = t·f</c>, <c>[sin a, cos a]</c>, flipped to <c>[cos a, sin a]</c>.
/// Each step is a float32 tensor op as in diffusers, so the rounding matches (a float64 evaluation differs by ~1e-5).
/// </summary>
public static class SinusoidalEmbedding
{
    /// <summary>The embedding <c>[N, dim]</c> of float32 timesteps <c>[N]</c>; <paramref name="dim"/> is even.</summary>
    public static torch.Tensor Of(torch.Tensor timesteps, int dim, bool flipSinToCos, double freqShift)
    {
        var half = dim / 2;
        using var scope = torch.NewDisposeScope();
        var exponent = torch.arange(0, half, dtype: torch.float32, device: timesteps.device) * (-Math.Log(10000.0));
        exponent = exponent / (half - freqShift);
        var freqs = torch.exp(exponent);
        var angles = timesteps.to(torch.float32).unsqueeze(1) * freqs.unsqueeze(0);
        var emb = flipSinToCos
            ? torch.cat([torch.cos(angles), torch.sin(angles)], 1)
            : torch.cat([torch.sin(angles), torch.cos(angles)], 1);
        return emb.MoveToOuterDisposeScope();
    }
}
