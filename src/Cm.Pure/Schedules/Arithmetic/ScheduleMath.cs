namespace Cm.Pure.Schedules.Arithmetic;

/// <summary>
/// Which float64 <c>log</c> and <c>power</c> the schedule is computed with. diffusers evaluates the Karras
/// levels (<c>(…) ** rho</c>) and <c>sigma_to_t</c> (<c>np.log</c>) with numpy, whose results depend on the
/// host: the same run gives timesteps one ulp apart on different machines. Chosen explicitly, never
/// detected: both variants give the same bits on every CPU.
/// </summary>
public enum ScheduleMath
{
    /// <summary>
    /// glibc's <c>pow</c> and <c>log</c> (through .NET's <see cref="Math.Pow"/>/<see cref="Math.Log(double)"/>
    /// on Linux): numpy on a CPU without AVX512_SKX, numpy built without SVML, numpy &lt; 1.23 on x86-64
    /// without AVX512F, and aarch64. The golden folder <c>diffusers/</c>. The default.
    /// </summary>
    Glibc = 0,

    /// <summary>
    /// numpy 1.24–1.26 on a CPU with AVX512_SKX (Intel since Skylake-SP, AMD since Zen 4): Intel SVML's
    /// <c>__svml_log8</c> and <c>__svml_pow8</c> (<see cref="SvmlLog"/>, <see cref="SvmlPow"/>). The golden
    /// folder <c>diffusers_numpy_avx512/</c>.
    /// </summary>
    NumpyAvx512 = 1,
}
