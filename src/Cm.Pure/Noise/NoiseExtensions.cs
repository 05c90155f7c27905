using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Noise;

/// <summary>Draws that return fresh immutable tensors instead of filling a buffer.</summary>
public static class NoiseExtensions
{
    /// <summary>One float32 draw as a tensor, and the source after it; or why the source cannot draw.</summary>
    public static Fin<(Tensor<float> Values, INoise Next)> Draw32(this INoise noise, Shape shape)
    {
        var next = Fin<INoise>.Succ(noise);
        var t = Tensor<float>.Create(shape, noise, (dst, n) => next = n.Fill(shape, dst));
        return next.Map(n => (t, n));
    }

    /// <summary>One float64 draw as a tensor, and the source after it; or why the source cannot draw.</summary>
    public static Fin<(Tensor<double> Values, INoise Next)> Draw64(this INoise noise, Shape shape)
    {
        var next = Fin<INoise>.Succ(noise);
        var t = Tensor<double>.Create(shape, noise, (dst, n) => next = n.Fill(shape, dst));
        return next.Map(n => (t, n));
    }
}
