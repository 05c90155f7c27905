using System.Diagnostics.Contracts;
using Cm.Pure.Config;
using Cm.Pure.Functional;
using Cm.Pure.Noise;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Sampling;

/// <summary>
/// The starting point of Algorithm 1 (line 1): x_T = σ_max · z with z ~ N(0, I), drawn from a noise source as
/// diffusers' pipeline does (<c>randn(shape) * init_noise_sigma</c>, the constant rounded once to float32). The one
/// home of that formula: the sampling loop, the editing loop, the trace verifier and the replay all draw it here.
/// </summary>
public static class InitialLatents
{
    /// <summary>Writes x_T into <paramref name="destination"/> from <paramref name="noise"/>; returns the source after the draw.</summary>
    public static Fin<INoise> Fill(INoise noise, ValidConfig config, Shape shape, Span<float> destination) =>
        Fill(noise, config.InitNoiseSigma, shape, destination);

    /// <summary>
    /// x_T = f32(z·f32(σ_max)) for a σ_max given as a number (openai's editing, whose schedule's t_max is σ_max).
    /// </summary>
    public static Fin<INoise> Fill(INoise noise, double sigmaMax, Shape shape, Span<float> destination)
    {
        var next = noise.Fill(shape, destination);
        if (next.Try(out _, out _)) Scale((float)sigmaMax, destination);
        return next;
    }

    /// <summary>Writes the initial sample into <paramref name="destination"/> and returns the state after the draw.</summary>
    public static Fin<SchedulerState> Fill(SchedulerState state, Shape shape, Span<float> destination) =>
        Fill(state.Noise, state.Config, shape, destination).Map(next => state with { Noise = next });

    /// <summary>x_T as an immutable tensor, and the source after the draw.</summary>
    [Pure]
    public static Fin<(Tensor<float> Sample, INoise Next)> Draw(INoise noise, ValidConfig config, Shape shape) =>
        Draw(noise, config.InitNoiseSigma, shape);

    /// <summary>x_T = f32(z·f32(σ_max)) as an immutable tensor, and the source after the draw.</summary>
    [Pure]
    public static Fin<(Tensor<float> Sample, INoise Next)> Draw(INoise noise, double sigmaMax, Shape shape)
    {
        var next = Fin<INoise>.Succ(noise);
        var x = Tensor<float>.Create(shape, noise, (dst, n) => next = Fill(n, sigmaMax, shape, dst));
        return next.Map(n => (x, n));
    }

    /// <summary>The initial sample as an immutable tensor, and the state after the draw.</summary>
    [Pure]
    public static Fin<(Tensor<float> Sample, SchedulerState Next)> Draw(SchedulerState state, Shape shape) =>
        Draw(state.Noise, state.Config, shape).Map(d => (d.Sample, state with { Noise = d.Next }));

    private static void Scale(float sigma, Span<float> destination)
    {
        for (var i = 0; i < destination.Length; i++) destination[i] *= sigma;
    }
}
