using System.Diagnostics.Contracts;
using System.Numerics;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

using Cm.Pure.Functional;
namespace Cm.Pure.Sampling;

/// <summary>
/// diffusers' <c>add_noise</c>: x_σ = x + σ·z, the forward process of the EDM formulation (Karras et al.
/// 2022, eq. 1 with s(t) = 1), used to start sampling from a noised image.
/// </summary>
public static class Noising
{
    /// <summary>
    /// The schedule positions for the given timesteps: with no begin index, the exact lookup of each
    /// timestep; with a begin index, the current step index if one is set, else the begin index, for
    /// every entry (the timesteps are then ignored, as in diffusers).
    /// </summary>
    [Pure]
    public static Fin<Arr<int>> SigmaIndices(SchedulerState state, ReadOnlySpan<double> timesteps)
    {
        var n = timesteps.Length;
        if (state.BeginIndex.IsSome)
        {
            var k = state.StepIndex.IfNone(() => state.BeginIndex.IfNone(0));
            return FinSucc(Enumerable.Repeat(k, n).ToArr());
        }
        var found = new int[n];
        for (var j = 0; j < n; j++)
        {
            if (!IndexRules.IndexForTimestep(state.Schedule.Timesteps.AsSpan(), timesteps[j]).Try(out found[j], out var error))
                return error;
        }
        return FinSucc(found.ToArr());
    }

    /// <summary>
    /// original + noise·σ, with one σ per entry of <paramref name="timesteps"/>: one entry applies to the
    /// whole batch, or one entry per batch item. The float32 sigmas are widened exactly for a float64
    /// tensor. Other lengths are a <see cref="ShapeMismatch"/> (diffusers would broadcast them into a
    /// larger tensor when the batch is 1).
    /// </summary>
    [Pure]
    public static Fin<Tensor<T>> AddNoise<T>(SchedulerState state, Tensor<T> original, Tensor<T> noise, ReadOnlySpan<double> timesteps)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!noise.Shape.Equals(original.Shape))
            return FinFail<Tensor<T>>(new ShapeMismatch("noise", original.Shape.ToString(), noise.Shape.ToString()));
        var batch = original.Shape.Batch;
        if (timesteps.Length != 1 && timesteps.Length != batch)
            return FinFail<Tensor<T>>(new ShapeMismatch("timesteps", $"1 or the batch size {batch}", timesteps.Length.ToString()));
        return SigmaIndices(state, timesteps).Bind(idx =>
        {
            foreach (var i in idx)
                if (i >= state.Schedule.Sigmas.Length)
                    return FinFail<Tensor<T>>(new StepPastEnd(i, state.Schedule.Steps));
            var sigmas = idx.Map(i => T.CreateChecked(state.Schedule.Sigmas[i])).ToArray();
            var per = original.Shape.ItemCount;
            return FinSucc(Tensor<T>.Create(original.Shape, 0, (dst, _) =>
            {
                var x = original.Data;
                var z = noise.Data;
                for (var k = 0; k < dst.Length; k++)
                {
                    var s = sigmas.Length == 1 ? sigmas[0] : sigmas[per == 0 ? 0 : k / per];
                    dst[k] = x[k] + z[k] * s;
                }
            }));
        });
    }
}
