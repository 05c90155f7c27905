namespace Cm.Pure.Noise.Philox;

/// <summary>Which Philox normal kernel a fill asks for (a SIMD one falls back where the CPU lacks it).</summary>
internal enum PhiloxKernel
{
    /// <summary>The scalar definition.</summary>
    Scalar,
    /// <summary>8 blocks per step with AVX2.</summary>
    Vector256,
    /// <summary>16 blocks per step with AVX-512F.</summary>
    Vector512,
}
