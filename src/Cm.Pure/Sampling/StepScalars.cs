using System.Diagnostics.Contracts;
using Cm.Pure.Config;
using Cm.Pure.Scalings;
using Cm.Pure.Schedules;

namespace Cm.Pure.Sampling;

/// <summary>
/// Every scalar of one step, computed once in float32: the only numbers a tensor backend needs to
/// carry out the step elementwise. One formula, one home: the runtime takes these, never recomputes.
/// </summary>
/// <param name="Index">Schedule position i.</param>
/// <param name="Timestep">t_i.</param>
/// <param name="Sigma">σ_i.</param>
/// <param name="SigmaNext">σ_{i+1} (see <see cref="At"/> for diffusers' rule).</param>
/// <param name="SigmaHat">clamp(σ_next, σ_min, σ_max).</param>
/// <param name="NoiseScale">√(σ̂² − σ_min²).</param>
/// <param name="CSkip">Boundary-condition c_skip(σ_i).</param>
/// <param name="COut">Boundary-condition c_out(σ_i).</param>
/// <param name="InputDivisor">√(σ_i² + σ_d²), the model input is sample / divisor.</param>
/// <param name="SNoise">f(s_noise), the float32 noise multiplier.</param>
/// <param name="DrawsNoise">Whether the step draws noise: only when the schedule has more than one step.</param>
public readonly record struct StepScalars(
    int Index,
    double Timestep,
    float Sigma,
    float SigmaNext,
    float SigmaHat,
    float NoiseScale,
    float CSkip,
    float COut,
    float InputDivisor,
    float SNoise,
    bool DrawsNoise)
{
    /// <summary>
    /// The scalars of position i. σ_next = sigmas[i+1] when i + 1 &lt; N (num_train_timesteps, not the
    /// schedule length), else the last sigma: diffusers' rule, which agrees with sigmas[i+1] for every
    /// valid i &lt; n.
    /// </summary>
    [Pure]
    public static StepScalars At(ValidConfig c, Schedule s, int i)
    {
        var sigma = s.Sigmas[i];
        var next = i + 1 < c.NumTrainTimesteps ? s.Sigmas[i + 1] : s.Sigmas[^1];
        var (hat, scale) = EdmScalings.NoiseScale(next, c);
        var bc = EdmScalings.BoundaryCondition(sigma, c);
        return new StepScalars(
            i, s.Timesteps[i], sigma, next, hat, scale, bc.CSkip, bc.COut,
            EdmScalings.InputDivisor(sigma, c), (float)c.SNoise, s.Steps > 1);
    }
}
