using System.Collections.Immutable;
using System.Diagnostics.Contracts;

namespace Cm.Pure.Config;

/// <summary>
/// The one table of the scheduler's settings, in <see cref="SchedulerConfig"/>'s order: a new setting is a new
/// row here (and a parameter of the record); the validation texts, the trace and manifest <c>"config"</c>
/// object, the schedule JSON, diffusers' file and the command-line overrides all follow the table.
/// </summary>
public static class ConfigFields
{
    /// <summary>The seven settings, in order.</summary>
    public static ImmutableArray<ConfigField> All { get; } =
    [
        new ConfigField.Integer(ConfigKeys.NumTrainTimesteps, ConfigAllowed.NumTrainTimesteps, c => c.num_train_timesteps, (c, v) => c with { num_train_timesteps = v }),
        new ConfigField.Number(ConfigKeys.SigmaMin, ConfigAllowed.SigmaMin, c => c.sigma_min, (c, v) => c with { sigma_min = v }),
        new ConfigField.Number(ConfigKeys.SigmaMax, ConfigAllowed.SigmaMax, c => c.sigma_max, (c, v) => c with { sigma_max = v }),
        new ConfigField.Number(ConfigKeys.SigmaData, ConfigAllowed.SigmaData, c => c.sigma_data, (c, v) => c with { sigma_data = v }),
        new ConfigField.Number(ConfigKeys.SNoise, ConfigAllowed.SNoise, c => c.s_noise, (c, v) => c with { s_noise = v }),
        new ConfigField.Number(ConfigKeys.Rho, ConfigAllowed.Rho, c => c.rho, (c, v) => c with { rho = v }),
        new ConfigField.Boolean(ConfigKeys.ClipDenoised, ConfigAllowed.ClipDenoised, c => c.clip_denoised, (c, v) => c with { clip_denoised = v }),
    ];

    /// <summary>The setting named <paramref name="key"/>, if it is one.</summary>
    [Pure]
    public static LanguageExt.Option<ConfigField> Find(string key) =>
        LanguageExt.Prelude.Optional(All.FirstOrDefault(f => f.Key == key));

    /// <summary>What the setting <paramref name="key"/> accepts (<see cref="ConfigAllowed"/>).</summary>
    [Pure]
    public static string Allowed(string key) => Find(key).Match(f => f.Allowed, () => "not a scheduler setting");
}
