using Cm.Pure.Tensors;

namespace Cm.Pure.Noise;

/// <summary>Draws that return fresh immutable tensors instead of filling a buffer.</summary>
public static class NoiseExtensions
{
    /// <summary>One float32 draw as a tensor, and the source after it.</summary>
    public static (Tensor<float> Values, INoise Next) Draw32(this INoise noise, Shape shape)
    {
        INoise next = noise;
        var t = Tensor<float>.Create(shape, noise, (dst, n) => next = n.Fill(shape, dst));
        return (t, next);
    }

    /// <summary>One float64 draw as a tensor, and the source after it.</summary>
    public static (Tensor<double> Values, INoise Next) Draw64(this INoise noise, Shape shape)
    {
        INoise next = noise;
        var t = Tensor<double>.Create(shape, noise, (dst, n) => next = n.Fill(shape, dst));
        return (t, next);
    }
}
