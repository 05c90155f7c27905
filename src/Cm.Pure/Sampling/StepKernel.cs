using System.Diagnostics.Contracts;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cm.Pure.Sampling;

/// <summary>
/// The elementwise arithmetic of one step (Algorithm 1, lines 3–5, as diffusers orders it). Writes only
/// into the destination spans it is given. Every operation is rounded on its own: no FMA, two products
/// and a sum for <c>denoised</c>, then a product and a sum for the noise. The clamp keeps NaN (PyTorch's
/// <c>clamp</c> does).
/// </summary>
public static class StepKernel
{
    /// <summary>
    /// float32 step: denoised = c_out·F + c_skip·x (clamped to [−1, 1] when <paramref name="clip"/>);
    /// next = denoised + (noise·f(s_noise))·scale. An empty <paramref name="noise"/> means no noise was
    /// drawn, and next = denoised + 0·scale (which turns −0 into +0, as diffusers' zeros do).
    /// <paramref name="denoised"/> may be empty when the caller does not want it. Runs the SIMD kernel
    /// where the hardware accelerates 256-bit vectors, else <see cref="ApplyScalar(in StepScalars, bool, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float})"/>;
    /// both give the same bits. Each buffer must either be the same memory as another or not overlap it
    /// (the destination may be the sample or the noise buffer).
    /// </summary>
    public static void Apply(
        in StepScalars s, bool clip,
        ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, ReadOnlySpan<float> noise,
        Span<float> denoised, Span<float> destination)
    {
        if (Vector256.IsHardwareAccelerated)
            ApplyVector(s, clip, modelOutput, sample, noise, denoised, destination);
        else
            ApplyScalar(s, clip, modelOutput, sample, noise, denoised, destination);
    }

    /// <summary>
    /// The definition of the float32 step, one element at a time (see
    /// <see cref="Apply(in StepScalars, bool, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float})"/>):
    /// the reference every SIMD path must equal bit for bit, and the fallback without vector hardware.
    /// </summary>
    public static void ApplyScalar(
        in StepScalars s, bool clip,
        ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, ReadOnlySpan<float> noise,
        Span<float> denoised, Span<float> destination)
    {
        var n = destination.Length;
        CheckLengths(n, modelOutput.Length, sample.Length, noise.Length, denoised.Length);
        ScalarCore(s.COut, s.CSkip, s.SNoise, s.NoiseScale, clip, modelOutput, sample, noise, denoised, destination, 0);
    }

    /// <summary>
    /// The float32 step with <see cref="Vector256{T}"/> arithmetic (8 lanes): separate multiplies and adds
    /// (never fused), a compare-and-select clamp that keeps NaN and −0, and the scalar definition for
    /// the last <c>n mod 8</c> elements. Equal bit for bit to
    /// <see cref="ApplyScalar(in StepScalars, bool, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, Span{float})"/>
    /// on any hardware (it is slow where 256-bit vectors are not accelerated).
    /// </summary>
    public static void ApplyVector(
        in StepScalars s, bool clip,
        ReadOnlySpan<float> modelOutput, ReadOnlySpan<float> sample, ReadOnlySpan<float> noise,
        Span<float> denoised, Span<float> destination)
    {
        var n = destination.Length;
        CheckLengths(n, modelOutput.Length, sample.Length, noise.Length, denoised.Length);
        var done = (clip, !denoised.IsEmpty, !noise.IsEmpty) switch
        {
            (false, false, true) => VectorCore<float, No, No, Yes>(s.COut, s.CSkip, s.SNoise, s.NoiseScale, modelOutput, sample, noise, denoised, destination),
            (true, false, true) => VectorCore<float, Yes, No, Yes>(s.COut, s.CSkip, s.SNoise, s.NoiseScale, modelOutput, sample, noise, denoised, destination),
            (false, true, true) => VectorCore<float, No, Yes, Yes>(s.COut, s.CSkip, s.SNoise, s.NoiseScale, modelOutput, sample, noise, denoised, destination),
            (true, true, true) => VectorCore<float, Yes, Yes, Yes>(s.COut, s.CSkip, s.SNoise, s.NoiseScale, modelOutput, sample, noise, denoised, destination),
            (false, false, false) => VectorCore<float, No, No, No>(s.COut, s.CSkip, s.SNoise, s.NoiseScale, modelOutput, sample, noise, denoised, destination),
            (true, false, false) => VectorCore<float, Yes, No, No>(s.COut, s.CSkip, s.SNoise, s.NoiseScale, modelOutput, sample, noise, denoised, destination),
            (false, true, false) => VectorCore<float, No, Yes, No>(s.COut, s.CSkip, s.SNoise, s.NoiseScale, modelOutput, sample, noise, denoised, destination),
            (true, true, false) => VectorCore<float, Yes, Yes, No>(s.COut, s.CSkip, s.SNoise, s.NoiseScale, modelOutput, sample, noise, denoised, destination),
        };
        ScalarCore(s.COut, s.CSkip, s.SNoise, s.NoiseScale, clip, modelOutput, sample, noise, denoised, destination, done);
    }

    /// <summary>
    /// float64 step for a float64 sample: the float32 scalars are widened exactly, the arithmetic is in
    /// double, and z = noise·s_noise uses the unrounded constant <paramref name="sNoise"/>. SIMD where
    /// 256-bit vectors are accelerated, with the same bits as <see cref="ApplyScalar(in StepScalars, bool, double, ReadOnlySpan{double}, ReadOnlySpan{double}, ReadOnlySpan{double}, Span{double}, Span{double})"/>.
    /// </summary>
    public static void Apply(
        in StepScalars s, bool clip, double sNoise,
        ReadOnlySpan<double> modelOutput, ReadOnlySpan<double> sample, ReadOnlySpan<double> noise,
        Span<double> denoised, Span<double> destination)
    {
        if (Vector256.IsHardwareAccelerated)
            ApplyVector(s, clip, sNoise, modelOutput, sample, noise, denoised, destination);
        else
            ApplyScalar(s, clip, sNoise, modelOutput, sample, noise, denoised, destination);
    }

    /// <summary>The definition of the float64 step, one element at a time (the reference and the fallback).</summary>
    public static void ApplyScalar(
        in StepScalars s, bool clip, double sNoise,
        ReadOnlySpan<double> modelOutput, ReadOnlySpan<double> sample, ReadOnlySpan<double> noise,
        Span<double> denoised, Span<double> destination)
    {
        var n = destination.Length;
        CheckLengths(n, modelOutput.Length, sample.Length, noise.Length, denoised.Length);
        ScalarCore<double>(s.COut, s.CSkip, sNoise, s.NoiseScale, clip, modelOutput, sample, noise, denoised, destination, 0);
    }

    /// <summary>The float64 step with <see cref="Vector256{T}"/> arithmetic (4 lanes); same bits as the scalar definition.</summary>
    public static void ApplyVector(
        in StepScalars s, bool clip, double sNoise,
        ReadOnlySpan<double> modelOutput, ReadOnlySpan<double> sample, ReadOnlySpan<double> noise,
        Span<double> denoised, Span<double> destination)
    {
        var n = destination.Length;
        CheckLengths(n, modelOutput.Length, sample.Length, noise.Length, denoised.Length);
        double cOut = s.COut, cSkip = s.CSkip, scale = s.NoiseScale;
        var done = (clip, !denoised.IsEmpty, !noise.IsEmpty) switch
        {
            (false, false, true) => VectorCore<double, No, No, Yes>(cOut, cSkip, sNoise, scale, modelOutput, sample, noise, denoised, destination),
            (true, false, true) => VectorCore<double, Yes, No, Yes>(cOut, cSkip, sNoise, scale, modelOutput, sample, noise, denoised, destination),
            (false, true, true) => VectorCore<double, No, Yes, Yes>(cOut, cSkip, sNoise, scale, modelOutput, sample, noise, denoised, destination),
            (true, true, true) => VectorCore<double, Yes, Yes, Yes>(cOut, cSkip, sNoise, scale, modelOutput, sample, noise, denoised, destination),
            (false, false, false) => VectorCore<double, No, No, No>(cOut, cSkip, sNoise, scale, modelOutput, sample, noise, denoised, destination),
            (true, false, false) => VectorCore<double, Yes, No, No>(cOut, cSkip, sNoise, scale, modelOutput, sample, noise, denoised, destination),
            (false, true, false) => VectorCore<double, No, Yes, No>(cOut, cSkip, sNoise, scale, modelOutput, sample, noise, denoised, destination),
            (true, true, false) => VectorCore<double, Yes, Yes, No>(cOut, cSkip, sNoise, scale, modelOutput, sample, noise, denoised, destination),
        };
        ScalarCore<double>(cOut, cSkip, sNoise, scale, clip, modelOutput, sample, noise, denoised, destination, done);
    }

    /// <summary>Model input: sample / divisor, a true division per element (float32; SIMD where accelerated).</summary>
    public static void ScaleInput(float divisor, ReadOnlySpan<float> sample, Span<float> destination)
    {
        if (sample.Length != destination.Length) throw new ArgumentException("sample and destination differ in length");
        var k = Vector256.IsHardwareAccelerated ? DivideVector(divisor, sample, destination) : 0;
        for (; k < sample.Length; k++) destination[k] = sample[k] / divisor;
    }

    /// <summary>Model input for a float64 sample: the float32 divisor widened exactly, division in double.</summary>
    public static void ScaleInput(float divisor, ReadOnlySpan<double> sample, Span<double> destination)
    {
        if (sample.Length != destination.Length) throw new ArgumentException("sample and destination differ in length");
        double d = divisor;
        var k = Vector256.IsHardwareAccelerated ? DivideVector(d, sample, destination) : 0;
        for (; k < sample.Length; k++) destination[k] = sample[k] / d;
    }

    /// <summary>The scalar definition of <see cref="ScaleInput(float, ReadOnlySpan{float}, Span{float})"/> (reference and fallback).</summary>
    public static void ScaleInputScalar(float divisor, ReadOnlySpan<float> sample, Span<float> destination)
    {
        if (sample.Length != destination.Length) throw new ArgumentException("sample and destination differ in length");
        for (var k = 0; k < sample.Length; k++) destination[k] = sample[k] / divisor;
    }

    /// <summary>
    /// Elements <c>from .. n</c> of the step, one at a time: the definition. The no-noise product
    /// 0·scale is formed per element exactly as the definition writes it.
    /// </summary>
    private static void ScalarCore<T>(
        T cOut, T cSkip, T sNoise, T scale, bool clip,
        ReadOnlySpan<T> modelOutput, ReadOnlySpan<T> sample, ReadOnlySpan<T> noise,
        Span<T> denoised, Span<T> destination, int from)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var keep = !denoised.IsEmpty;
        var hasNoise = !noise.IsEmpty;
        for (var k = from; k < destination.Length; k++)
        {
            var d = cOut * modelOutput[k] + cSkip * sample[k];
            if (clip) d = ClampT(d);
            if (keep) denoised[k] = d;
            var z = hasNoise ? noise[k] * sNoise : T.Zero;
            destination[k] = d + z * scale;
        }
    }

    /// <summary>
    /// Whole vectors of the step; returns how many elements it wrote (a multiple of the lane count).
    /// Every operation is the vector form of the scalar one, unfused; inputs of lane block k are all
    /// loaded before anything is stored at k, so a destination that is the sample or noise buffer is safe.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int VectorCore<T, TClip, TKeep, TNoise>(
        T cOut, T cSkip, T sNoise, T scale,
        ReadOnlySpan<T> modelOutput, ReadOnlySpan<T> sample, ReadOnlySpan<T> noise,
        Span<T> denoised, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TClip : struct, IFlag where TKeep : struct, IFlag where TNoise : struct, IFlag
    {
        var n = destination.Length;
        var w = Vector256<T>.Count;
        var last = n - 2 * w;
        ref var mo = ref MemoryMarshal.GetReference(modelOutput);
        ref var x = ref MemoryMarshal.GetReference(sample);
        ref var nz = ref MemoryMarshal.GetReference(noise);
        ref var den = ref MemoryMarshal.GetReference(denoised);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        Vector256<T> vOut = Vector256.Create(cOut), vSkip = Vector256.Create(cSkip),
            vSn = Vector256.Create(sNoise), vScale = Vector256.Create(scale),
            noNoise = Vector256.Create(T.Zero * scale);
        var k = 0;
        for (; k <= last; k += 2 * w)
        {
            var k1 = (nuint)k; var k2 = (nuint)(k + w);
            var d1 = vOut * Vector256.LoadUnsafe(ref mo, k1) + vSkip * Vector256.LoadUnsafe(ref x, k1);
            var d2 = vOut * Vector256.LoadUnsafe(ref mo, k2) + vSkip * Vector256.LoadUnsafe(ref x, k2);
            if (TClip.Value) { d1 = ClampVector(d1); d2 = ClampVector(d2); }
            if (TKeep.Value) { d1.StoreUnsafe(ref den, k1); d2.StoreUnsafe(ref den, k2); }
            Vector256<T> r1, r2;
            if (TNoise.Value)
            {
                r1 = d1 + Vector256.LoadUnsafe(ref nz, k1) * vSn * vScale;
                r2 = d2 + Vector256.LoadUnsafe(ref nz, k2) * vSn * vScale;
            }
            else { r1 = d1 + noNoise; r2 = d2 + noNoise; }
            r1.StoreUnsafe(ref dst, k1);
            r2.StoreUnsafe(ref dst, k2);
        }
        for (; k <= n - w; k += w)
        {
            var k1 = (nuint)k;
            var d1 = vOut * Vector256.LoadUnsafe(ref mo, k1) + vSkip * Vector256.LoadUnsafe(ref x, k1);
            if (TClip.Value) d1 = ClampVector(d1);
            if (TKeep.Value) d1.StoreUnsafe(ref den, k1);
            var r1 = TNoise.Value ? d1 + Vector256.LoadUnsafe(ref nz, k1) * vSn * vScale : d1 + noNoise;
            r1.StoreUnsafe(ref dst, k1);
        }
        return k;
    }

    /// <summary>clamp(v, −1, 1) per lane keeping NaN and −0: compare-and-select, as the scalar form (not max/min).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> ClampVector<T>(Vector256<T> v) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var one = Vector256.Create(T.One);
        var minusOne = Vector256.Create(T.NegativeOne);
        v = Vector256.ConditionalSelect(Vector256.GreaterThan(v, one), one, v);
        return Vector256.ConditionalSelect(Vector256.LessThan(v, minusOne), minusOne, v);
    }

    private static int DivideVector<T>(T divisor, ReadOnlySpan<T> sample, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var w = Vector256<T>.Count;
        var vd = Vector256.Create(divisor);
        ref var x = ref MemoryMarshal.GetReference(sample);
        ref var dst = ref MemoryMarshal.GetReference(destination);
        var k = 0;
        for (; k <= sample.Length - w; k += w)
            (Vector256.LoadUnsafe(ref x, (nuint)k) / vd).StoreUnsafe(ref dst, (nuint)k);
        return k;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ClampT<T>(T x) where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        x < T.NegativeOne ? T.NegativeOne : x > T.One ? T.One : x;

    /// <summary>A compile-time flag for generic specialisation of the vector loops.</summary>
    private interface IFlag { static abstract bool Value { get; } }
    private readonly struct Yes : IFlag { public static bool Value => true; }
    private readonly struct No : IFlag { public static bool Value => false; }

    /// <summary>clamp(x, −1, 1) that keeps NaN.</summary>
    [Pure]
    public static float Clamp(float x) => x < -1f ? -1f : x > 1f ? 1f : x;

    /// <summary>clamp(x, −1, 1) that keeps NaN.</summary>
    [Pure]
    public static double Clamp(double x) => x < -1.0 ? -1.0 : x > 1.0 ? 1.0 : x;

    private static void CheckLengths(int n, int mo, int x, int noise, int denoised)
    {
        if (mo != n || x != n || (noise != 0 && noise != n) || (denoised != 0 && denoised != n))
            throw new ArgumentException(
                $"step buffers differ in length: destination {n}, model output {mo}, sample {x}, noise {noise}, denoised {denoised}");
    }
}
