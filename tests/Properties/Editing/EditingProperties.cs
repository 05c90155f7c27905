using System.Runtime.InteropServices;
using Cm.Pure.Editing;
using Cm.Pure.Noise;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using Cm.Tests.Core;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cm.Tests.Editing;

/// <summary>
/// The invariants of the replacement (Song et al. 2023, Algorithm 4: x ← A⁻¹[(A·x0)⊙Ω + (A·y)⊙(1 − Ω)]),
/// each on ≥ 500 random cases: masks exactly, projections within their float32 rounding (per vector,
/// measured in double: 4e-6 for 3-vectors, 3e-5 for 64-vectors; the golden README's error analysis gives
/// ≈ 9e-7 and ≈ 1.4e-6 elementwise).
/// </summary>
[Properties(Arbitrary = [typeof(EditArbitraries), typeof(Arbitraries)], MaxTest = 500)]
public sealed class EditingProperties
{
    private static bool Same(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => MemoryMarshal.AsBytes(a).SequenceEqual(MemoryMarshal.AsBytes(b));

    private static double Tol(EditCase c) => c.P is { Length: > 9 } ? 3e-5 : 4e-6;

    private static Tensor<float> Processed(EditCase c) => EditingGolden.Ok(Replacements.Preprocess(c.Replacement, c.Reference));

    private static Tensor<float> Replaced(EditCase c, Tensor<float> processed, Tensor<float> estimate) =>
        EditingGolden.Ok(Replacements.Replace(c.Replacement, processed, estimate));

    /// <summary>max over vectors of ‖M·(u − v)‖∞ in double, M = P (known part) or I − P (unknown part).</summary>
    private static double Part(EditCase c, bool known, ReadOnlySpan<float> u, ReadOnlySpan<float> v)
    {
        int ch = c.Shape[1], h = c.Shape[2], w = c.Shape[3], item = ch * h * w;
        var index = new int[item];
        var n = c.Grouping!.Gather(ch, h, w, index);
        var worst = 0.0;
        var d = new double[n];
        for (var b = 0; b < c.Shape.Count; b += item)
            for (var s = 0; s < item; s += n)
            {
                for (var k = 0; k < n; k++) d[k] = (double)u[b + index[s + k]] - v[b + index[s + k]];
                for (var i = 0; i < n; i++)
                {
                    var pd = 0.0;
                    for (var k = 0; k < n; k++) pd += c.P![i * n + k] * d[k];
                    worst = Math.Max(worst, Math.Abs(known ? pd : d[i] - pd));
                }
            }
        return worst;
    }

    [Property]
    public Property Replacement_is_idempotent(EditCase c)
    {
        var p = Processed(c);
        var once = Replaced(c, p, c.Estimate);
        var twice = Replaced(c, p, once);
        if (c.P is null) return Same(once.Data, twice.Data).ToProperty();
        var worst = 0.0;
        for (var i = 0; i < once.Count; i++) worst = Math.Max(worst, Math.Abs((double)once[i] - twice[i]));
        return (worst <= Tol(c)).Label($"max |R(R(x)) − R(x)| = {worst:G3}");
    }

    [Property]
    public Property Known_part_of_the_result_is_the_references(EditCase c)
    {
        var p = Processed(c);
        var r = Replaced(c, p, c.Estimate);
        if (c.Replacement is Replacement.Inpaint m)
        {
            var known = m.Mask.Known;
            for (var i = 0; i < r.Count; i++)
                if (known[i % known.Length] && BitConverter.SingleToUInt32Bits(r[i]) != BitConverter.SingleToUInt32Bits(c.Reference[i]))
                    return false.Label($"element {i}: {r[i]:R}, reference {c.Reference[i]:R}");
            return true.ToProperty();
        }
        var fromProcessed = Part(c, known: true, r.Data, p.Data);
        var fromRaw = Part(c, known: true, r.Data, c.Reference.Data);
        return (fromProcessed <= Tol(c) && fromRaw <= Tol(c)).Label($"‖P(out − y')‖ = {fromProcessed:G3}, ‖P(out − y)‖ = {fromRaw:G3}");
    }

    [Property]
    public Property Unknown_part_of_the_result_is_the_models(EditCase c)
    {
        var p = Processed(c);
        var r = Replaced(c, p, c.Estimate);
        if (c.Replacement is Replacement.Inpaint m)
        {
            var known = m.Mask.Known;
            for (var i = 0; i < r.Count; i++)
                if (!known[i % known.Length] && BitConverter.SingleToUInt32Bits(r[i]) != BitConverter.SingleToUInt32Bits(c.Estimate[i]))
                    return false.Label($"element {i}: {r[i]:R}, model {c.Estimate[i]:R}");
            return true.ToProperty();
        }
        var worst = Part(c, known: false, r.Data, c.Estimate.Data);
        return (worst <= Tol(c)).Label($"‖(I − P)(out − x0)‖ = {worst:G3}");
    }

    [Property]
    public Property All_known_mask_returns_the_reference(EditCase c)
    {
        var item = Shape.Of(c.Shape[1], c.Shape[2], c.Shape[3]);
        var all = new EditCase("all known", new Replacement.Inpaint(EditMask.Uniform(item, known: true)), c.Shape, c.Reference, c.Estimate, null, null);
        var p = Processed(all);
        return (Same(p.Data, c.Reference.Data) && Same(Replaced(all, p, c.Estimate).Data, c.Reference.Data)).ToProperty();
    }

    [Property]
    public Property All_unknown_mask_returns_the_clamped_estimate(EditCase c, NonNegativeInt seed)
    {
        var item = Shape.Of(c.Shape[1], c.Shape[2], c.Shape[3]);
        var none = new Replacement.Inpaint(EditMask.Uniform(item, known: false));
        // A model estimate beyond [−1, 1] so the clamp matters.
        var wide = Tensor<float>.Create(c.Shape, c.Estimate, (dst, e) => { for (var i = 0; i < dst.Length; i++) dst[i] = e[i] * 1.75f; });
        var schedule = EditingGolden.Ok(KarrasEditSchedule.Default(0, 22, 39));
        var processed = EditingGolden.Ok(Replacements.Preprocess(none, c.Reference));
        var (z, _) = TorchNoise.FromSeed((ulong)seed.Get).Draw32(c.Shape).Ok();
        var step = EditingGolden.Ok(EditLoop.Step(schedule.StepScalars()[0], none, clamp: true, processed, wide, wide, z));
        var expected = wide.Data.ToArray().Select(v => Math.Min(1f, Math.Max(-1f, v))).ToArray();
        return (Same(step.Replaced.Data, expected) && Same(step.Clamped.Data, expected)).ToProperty();
    }

    /// <summary>
    /// openai's convention: the edit loop with an all-unknown mask and no clamp is the plain
    /// <c>stochastic_iterative_sampler</c> (x = x0 + f32(z·f32(√(next_t² − t_min²))), x_T = f32(z·t_max)), bit
    /// for bit, for random schedules, seeds and a toy denoiser.
    /// </summary>
    [Property]
    public Property Openai_loop_with_all_unknown_mask_and_no_clamp_is_plain_sampling(NonNegativeInt seed, PositiveInt steps, int[] rawTs)
    {
        var n = steps.Get % 50 + 2;
        var ts = rawTs.Select(t => Math.Abs(t % n)).Distinct().Order().Prepend(0).Distinct().Append(n - 1).Distinct().ToArray();
        var schedule = EditingGolden.Ok(KarrasEditSchedule.Create(0.002 + seed.Get % 7 * 0.001, 80.0 - seed.Get % 5, 7.0 - seed.Get % 3, n, ts));
        var shape = Shape.Of(1, 3, 2, 4);
        var none = new Replacement.Inpaint(EditMask.Uniform(Shape.Of(3, 2, 4), known: false));
        static Tensor<float> Toy(Tensor<float> x, float sigma) =>
            Tensor<float>.Create(x.Shape, (x, sigma), static (d, a) => { for (var i = 0; i < d.Length; i++) d[i] = MathF.Tanh(a.x[i]) * 0.9f + 0.01f * a.sigma; });
        var edit = EditingGolden.Ok(EditLoop.Run(schedule, none, Tensor<float>.Zeros(shape), TorchNoise.FromSeed((ulong)seed.Get),
            (x, s) => Toy(x, s), clamp: false));

        INoise noise = TorchNoise.FromSeed((ulong)seed.Get);
        var (z0, after) = noise.Draw32(shape).Ok();
        var x = z0.ToArray().Select(v => v * (float)schedule.TMax).ToArray();
        for (var i = 0; i + 1 < ts.Length; i++)
        {
            var t = schedule.T(ts[i]);
            var x0 = Toy(Tensor<float>.From(shape, x), (float)t);
            var nextT = Math.Clamp(schedule.T(ts[i + 1]), schedule.TMin, schedule.TMax);
            var scale = (float)Math.Sqrt(nextT * nextT - schedule.TMin * schedule.TMin);
            (var z, after) = after.Draw32(shape).Ok();
            for (var k = 0; k < x.Length; k++) x[k] = x0[k] + z[k] * scale;
        }
        return Same(edit.Final.Data, x).Label($"ts = [{string.Join(",", ts)}], steps = {n}");
    }

    /// <summary>
    /// Cm's convention: an editing step with an all-unknown mask is the scheduler's step bit for bit (the
    /// clamp is the config's clip_denoised, on or off): denoised, next sample, noise and next state.
    /// </summary>
    [Property]
    public Property Scheduler_edit_step_with_all_unknown_mask_is_the_sampler_step(StepCase c)
    {
        var shape = c.Sample.Shape;
        if (shape.Rank != 4) return true.ToProperty();
        var none = new Replacement.Inpaint(EditMask.Uniform(Shape.Of(shape[1], shape[2], shape[3]), known: false));
        var t = c.State.Schedule.Timesteps[c.State.StepIndex.IfNone(0)];
        var plain = EditingGolden.Ok(Scheduler.Step(c.State, c.ModelOutput, t, c.Sample));
        var edit = EditingGolden.Ok(SchedulerEdit.Step(c.State, none, c.Sample, c.ModelOutput, t, c.Sample));
        var noiseSame = plain.Noise.Match(a => edit.Noise.Match(b => Same(a.Data, b.Data), () => false), () => edit.Noise.IsNone);
        return (Same(plain.Sample.Data, edit.Sample.Data) && Same(plain.Denoised.Data, edit.Denoised.Data)
                && Same(plain.Denoised.Data, edit.Replaced.Data) && noiseSame
                && plain.Next.StepIndex == edit.Next.StepIndex).ToProperty();
    }
}
