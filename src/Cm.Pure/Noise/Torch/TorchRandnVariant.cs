namespace Cm.Pure.Noise.Torch;

/// <summary>Which float32 transform torch's vectorised fill (n ≥ 16) uses: torch-cpu-randn.md §6.2/§6.3.</summary>
public enum TorchKernel
{
    /// <summary>The x86-64 AVX2 kernel as GCC builds it with FMA contraction (Linux torch; the golden file). Pure float ops: exact everywhere.</summary>
    Avx2Fused = 0,

    /// <summary>The same kernel with every product rounded (what MSVC/clang builds most likely give; untested against torch).</summary>
    Avx2Unfused = 1,

    /// <summary>
    /// The non-vectorised "default" kernel (§6.3: no AVX2/FMA, <c>ATEN_CPU_CAPABILITY=default</c>, aarch64).
    /// It calls the platform's <c>logf</c>/<c>sinf</c>/<c>cosf</c>, here <see cref="MathF.Log(float)"/>,
    /// <see cref="MathF.Sin"/> and <see cref="MathF.Cos"/>: it matches torch only where .NET and torch use the
    /// same C library (glibc on Linux).
    /// </summary>
    Default = 2,
}

/// <summary>The logarithm of the scalar path (n &lt; 16), torch-cpu-randn.md §5.</summary>
public enum TorchScalarLog
{
    /// <summary>torch 2.x: <c>log1p(-u2)</c> as glibc's FMA build computes it (<see cref="GlibcLog1p"/>, §5.1).</summary>
    Torch2Log1p = 0,

    /// <summary>torch 1.x: <c>log(1 - u2)</c> with the platform's <see cref="Math.Log(double)"/>.</summary>
    Torch1Log = 1,
}

/// <summary>
/// The build of torch whose <c>randn</c> to reproduce. <c>default(TorchRandnVariant)</c> is the golden
/// file's: the AVX2 fused kernel and torch 2.x's <c>log1p</c>.
/// </summary>
public readonly record struct TorchRandnVariant(TorchKernel Kernel, TorchScalarLog ScalarLog)
{
    /// <summary>Linux x86-64 torch 2.x with AVX2 and FMA (the golden file).</summary>
    public static TorchRandnVariant Torch2Avx2 => default;

    /// <summary>Linux x86-64 torch 1.x with AVX2 and FMA.</summary>
    public static TorchRandnVariant Torch1Avx2 => new(TorchKernel.Avx2Fused, TorchScalarLog.Torch1Log);
}
