using System.Diagnostics.Contracts;
using Cm.Pure.Tensors;

namespace Cm.Pure.Images;

/// <summary>
/// Samples in [-1, 1] to images, as diffusers' pipeline converts them: u = clamp(x/2 + 0.5, 0, 1) in float32,
/// then round(255·u) half to even (NumPy's rounding) as 8-bit pixels. A NaN becomes 0.
/// </summary>
public static class ImageConversion
{
    /// <summary>One value to [0, 1].</summary>
    [Pure]
    public static float ToUnit(float x)
    {
        var v = x / 2f + 0.5f;
        return float.IsNaN(v) ? 0f : Math.Clamp(v, 0f, 1f);
    }

    /// <summary>One value to an 8-bit pixel.</summary>
    [Pure]
    public static byte ToByte(float x) => (byte)MathF.Round(ToUnit(x) * 255f, MidpointRounding.ToEven);

    /// <summary>Every element to [0, 1], same shape.</summary>
    [Pure]
    public static Tensor<float> ToUnit(Tensor<float> samples) =>
        Tensor<float>.Create(samples.Shape, samples, static (dst, s) =>
        {
            var src = s.Data;
            for (var i = 0; i < dst.Length; i++) dst[i] = ToUnit(src[i]);
        });

    /// <summary>Every element to an 8-bit pixel, row-major like the input.</summary>
    [Pure]
    public static byte[] ToBytes(Tensor<float> samples)
    {
        var src = samples.Data;
        var bytes = new byte[src.Length];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = ToByte(src[i]);
        return bytes;
    }

    /// <summary>
    /// An 8-bit pixel to [−1, 1] exactly as diffusers' <c>VaeImageProcessor</c> does it: <c>b / 255.0</c> in
    /// float32 (<c>pil_to_numpy</c>), then <c>2·v − 1</c> (<c>normalize</c>), each operation rounded once.
    /// </summary>
    [Pure]
    public static float FromByte(byte b) => 2f * (b / 255f) - 1f;
}
