using System.Diagnostics.Contracts;
using Cm.Pure.Tensors;

namespace Cm.Pure.Sampling;

/// <summary>
/// The starting point of Algorithm 1 (line 1): x_T = σ_max · z with z ~ N(0, I), drawn from the state's
/// noise source as diffusers' pipeline does (<c>randn(shape) * init_noise_sigma</c>, the constant rounded
/// once to float32).
/// </summary>
public static class InitialLatents
{
    /// <summary>Writes the initial sample into <paramref name="destination"/> and returns the state after the draw.</summary>
    public static SchedulerState Fill(SchedulerState state, Shape shape, Span<float> destination)
    {
        var next = state.Noise.Fill(shape, destination);
        var sigma = (float)state.InitNoiseSigma;
        for (var i = 0; i < destination.Length; i++) destination[i] *= sigma;
        return state with { Noise = next };
    }

    /// <summary>The initial sample as an immutable tensor, and the state after the draw.</summary>
    [Pure]
    public static (Tensor<float> Sample, SchedulerState Next) Draw(SchedulerState state, Shape shape)
    {
        var next = state;
        var x = Tensor<float>.Create(shape, state, (dst, s) => next = Fill(s, shape, dst));
        return (x, next);
    }
}
