using System.Diagnostics.Contracts;
using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Config;

/// <summary>Checks a config and reports every problem at once (not only the first).</summary>
public static class ConfigValidation
{
    /// <summary>
    /// Valid when N ≥ 2; σ_min and σ_max finite with 0 &lt; σ_min &lt; σ_max; σ_data finite and &gt; 0;
    /// ρ finite and &gt; 0; s_noise finite and ≥ 0; and, once each key is in range, every schedule entry and
    /// scaling finite in float32 (<see cref="Float32Range"/>). diffusers accepts N = 1 (a NaN schedule, since the
    /// ramp divides by N − 1 = 0) and N = 0 (an empty one); Cm rejects both.
    /// </summary>
    [Pure]
    public static Validation<ConfigProblem, ValidConfig> Validate(SchedulerConfig c)
    {
        if (c is null) return Fail<ConfigProblem, ValidConfig>(Seq1(new ConfigProblem("config", "null", "a config")));
        var own = Problems(c).ToSeq();
        var problems = own.IsEmpty ? Float32Range.Problems(c).ToSeq() : own;
        return problems.IsEmpty
            ? Success<ConfigProblem, ValidConfig>(new ValidConfig(c))
            : Fail<ConfigProblem, ValidConfig>(problems);
    }

    /// <summary>
    /// A config read from text (a file, overrides) whose reading found <paramref name="typeProblems"/>: valid
    /// only when there are none and the value rules hold; otherwise every problem, the type problems first
    /// and then the value rules' problems of the other keys (a key of the wrong type is reported once, not
    /// again for the default it kept).
    /// </summary>
    [Pure]
    public static Validation<ConfigProblem, ValidConfig> Validate(SchedulerConfig c, Seq<ConfigProblem> typeProblems)
    {
        if (typeProblems.IsEmpty) return Validate(c);
        var mistyped = typeProblems.Map(p => p.Key).ToHashSet();
        return Fail<ConfigProblem, ValidConfig>(typeProblems + Problems(c).Where(p => !mistyped.Contains(p.Key)).ToSeq());
    }

    /// <summary>The problems of a config, in key order; empty when it is valid. The texts are <see cref="ConfigAllowed"/>'s.</summary>
    [Pure]
    public static IEnumerable<ConfigProblem> Problems(SchedulerConfig c)
    {
        if (c.num_train_timesteps < 2)
            yield return new(ConfigKeys.NumTrainTimesteps, Show(c.num_train_timesteps), ConfigAllowed.NumTrainTimesteps);
        if (!double.IsFinite(c.sigma_min) || c.sigma_min <= 0)
            yield return new(ConfigKeys.SigmaMin, Show(c.sigma_min), ConfigAllowed.SigmaMin);
        if (!double.IsFinite(c.sigma_max) || c.sigma_max <= 0)
            yield return new(ConfigKeys.SigmaMax, Show(c.sigma_max), ConfigAllowed.SigmaMax);
        else if (double.IsFinite(c.sigma_min) && c.sigma_min > 0 && c.sigma_min >= c.sigma_max)
            yield return new(ConfigKeys.SigmaMax, Show(c.sigma_max), $"greater than sigma_min ({Show(c.sigma_min)})");
        if (!double.IsFinite(c.sigma_data) || c.sigma_data <= 0)
            yield return new(ConfigKeys.SigmaData, Show(c.sigma_data), ConfigAllowed.SigmaData);
        if (!double.IsFinite(c.s_noise) || c.s_noise < 0)
            yield return new(ConfigKeys.SNoise, Show(c.s_noise), ConfigAllowed.SNoise);
        if (!double.IsFinite(c.rho) || c.rho <= 0)
            yield return new(ConfigKeys.Rho, Show(c.rho), ConfigAllowed.Rho);
    }

    /// <summary>Validation as a <see cref="Fin{A}"/>, with all problems in one error.</summary>
    [Pure]
    public static Fin<ValidConfig> ValidateFin(SchedulerConfig c) =>
        Validate(c).Match(
            Succ: v => FinSucc(v),
            Fail: ps => FinFail<ValidConfig>(new Errors.InvalidConfig(ps.ToArr())));

    private static string Show(double d) => d.ToString("R", CultureInfo.InvariantCulture);
    private static string Show(int i) => i.ToString(CultureInfo.InvariantCulture);
}
