using System.Diagnostics.Contracts;
using System.Globalization;
using System.Text.Json;
using Cm.Pure.Config;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Configs;

/// <summary>
/// Sets one of the seven settings from a JSON value (a config file) or from text (a command-line
/// override), checking only its type. The rules on values stay in <see cref="ConfigValidation"/>, so
/// a file and an override are judged alike.
/// </summary>
public static class ConfigFields
{
    private enum Kind { Integer, Number, Boolean }

    /// <summary>Whether <paramref name="key"/> is one of the seven settings.</summary>
    [Pure]
    public static bool IsSetting(string key) => ConfigKeys.Settings.Contains(key);

    /// <summary>What a key accepts, as an error message says it.</summary>
    [Pure]
    public static string Allowed(string key) => key switch
    {
        ConfigKeys.NumTrainTimesteps => "an integer >= 2",
        ConfigKeys.SigmaMin => "a finite number > 0",
        ConfigKeys.SigmaMax => "a finite number > sigma_min",
        ConfigKeys.SigmaData => "a finite number > 0",
        ConfigKeys.SNoise => "a finite number >= 0",
        ConfigKeys.Rho => "a finite number > 0",
        ConfigKeys.ClipDenoised => "true or false",
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a scheduler setting"),
    };

    /// <summary>Sets <paramref name="key"/> from a JSON value of the right type, or names the problem.</summary>
    [Pure]
    public static Either<ConfigProblem, SchedulerConfig> FromJson(SchedulerConfig c, string key, JsonElement value)
    {
        var problem = Left<ConfigProblem, SchedulerConfig>(new ConfigProblem(key, value.GetRawText(), Allowed(key)));
        return KindOf(key) switch
        {
            Kind.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? Set(c, key, i) : problem,
            Kind.Number => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) ? Set(c, key, d) : problem,
            _ => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? Set(c, key, value.GetBoolean()) : problem,
        };
    }

    /// <summary>Sets <paramref name="key"/> from text (<c>40</c>, <c>0.002</c>, <c>1e-3</c>, <c>true</c>), or names the problem.</summary>
    [Pure]
    public static Either<ConfigProblem, SchedulerConfig> FromText(SchedulerConfig c, string key, string text)
    {
        var problem = Left<ConfigProblem, SchedulerConfig>(new ConfigProblem(key, text, Allowed(key)));
        var t = text.Trim();
        return KindOf(key) switch
        {
            Kind.Integer => int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? Set(c, key, i) : problem,
            Kind.Number => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? Set(c, key, d) : problem,
            _ => bool.TryParse(t, out var b) ? Set(c, key, b) : problem,
        };
    }

    private static Kind KindOf(string key) => key switch
    {
        ConfigKeys.NumTrainTimesteps => Kind.Integer,
        ConfigKeys.ClipDenoised => Kind.Boolean,
        _ when IsSetting(key) => Kind.Number,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a scheduler setting"),
    };

    private static Either<ConfigProblem, SchedulerConfig> Set(SchedulerConfig c, string key, int value) =>
        c with { num_train_timesteps = value };

    private static Either<ConfigProblem, SchedulerConfig> Set(SchedulerConfig c, string key, bool value) =>
        c with { clip_denoised = value };

    private static Either<ConfigProblem, SchedulerConfig> Set(SchedulerConfig c, string key, double value) => key switch
    {
        ConfigKeys.SigmaMin => c with { sigma_min = value },
        ConfigKeys.SigmaMax => c with { sigma_max = value },
        ConfigKeys.SigmaData => c with { sigma_data = value },
        ConfigKeys.SNoise => c with { s_noise = value },
        _ => c with { rho = value },
    };
}
