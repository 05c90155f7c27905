using Cm.Pure.Tensors;

namespace Cm.Runtime.Images;

/// <summary>Samples in [-1, 1] to images: [0, 1] floats and 8-bit pixels (as diffusers' pipeline does).</summary>
public static class ImageConversion
{
    /// <summary>(x + 1) / 2, clamped to [0, 1]; NaN becomes 0.</summary>
    public static Tensor<float> ToUnit(Tensor<float> samples) =>
        Tensor<float>.Create(samples.Shape, samples, static (dst, s) =>
        {
            var src = s.Data;
            for (var i = 0; i < dst.Length; i++)
            {
                var v = (src[i] + 1f) / 2f;
                dst[i] = v > 0f ? MathF.Min(v, 1f) : 0f;
            }
        });

    /// <summary>round(255·u) for u = <see cref="ToUnit"/> of each element, row-major like the input.</summary>
    public static byte[] ToBytes(Tensor<float> samples)
    {
        var unit = ToUnit(samples).Data;
        var bytes = new byte[unit.Length];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)MathF.Round(unit[i] * 255f, MidpointRounding.ToEven);
        return bytes;
    }
}
