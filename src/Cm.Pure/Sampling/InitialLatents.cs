using System.Diagnostics.Contracts;
using Cm.Pure.Config;
using Cm.Pure.Noise;
using Cm.Pure.Tensors;

namespace Cm.Pure.Sampling;

/// <summary>
/// The starting point of Algorithm 1 (line 1): x_T = σ_max · z with z ~ N(0, I), drawn from a noise source as
/// diffusers' pipeline does (<c>randn(shape) * init_noise_sigma</c>, the constant rounded once to float32). The one
/// home of that formula: the sampling loop, the trace verifier and the replay all draw it here.
/// </summary>
public static class InitialLatents
{
    /// <summary>Writes x_T into <paramref name="destination"/> from <paramref name="noise"/>; returns the source after the draw.</summary>
    public static INoise Fill(INoise noise, ValidConfig config, Shape shape, Span<float> destination)
    {
        var next = noise.Fill(shape, destination);
        var sigma = (float)config.InitNoiseSigma;
        for (var i = 0; i < destination.Length; i++) destination[i] *= sigma;
        return next;
    }

    /// <summary>Writes the initial sample into <paramref name="destination"/> and returns the state after the draw.</summary>
    public static SchedulerState Fill(SchedulerState state, Shape shape, Span<float> destination) =>
        state with { Noise = Fill(state.Noise, state.Config, shape, destination) };

    /// <summary>x_T as an immutable tensor, and the source after the draw.</summary>
    [Pure]
    public static (Tensor<float> Sample, INoise Next) Draw(INoise noise, ValidConfig config, Shape shape)
    {
        var next = noise;
        var x = Tensor<float>.Create(shape, noise, (dst, n) => next = Fill(n, config, shape, dst));
        return (x, next);
    }

    /// <summary>The initial sample as an immutable tensor, and the state after the draw.</summary>
    [Pure]
    public static (Tensor<float> Sample, SchedulerState Next) Draw(SchedulerState state, Shape shape)
    {
        var (x, next) = Draw(state.Noise, state.Config, shape);
        return (x, state with { Noise = next });
    }
}
