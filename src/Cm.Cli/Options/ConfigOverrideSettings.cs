using Cm.Pure.Config;
using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cm.Cli.Options;

/// <summary>
/// Per-field overrides of the scheduler config, one option per diffusers key. Values stay text here and
/// are parsed by <see cref="ConfigOverrides"/>, so a bad value is invalid input (exit 3) reported with the
/// key and its allowed range, exactly as in a config file.
/// </summary>
public class ConfigOverrideSettings : CommandSettings
{
    /// <summary>num_train_timesteps.</summary>
    [CommandOption("--num-train-timesteps <N>")]
    [Description("Override num_train_timesteps (N, " + ConfigAllowed.NumTrainTimesteps + "; diffusers' default 40).")]
    public string? NumTrainTimesteps { get; init; }

    /// <summary>sigma_min.</summary>
    [CommandOption("--sigma-min <SIGMA>")]
    [Description("Override sigma_min (" + ConfigAllowed.SigmaMin + "; default 0.002).")]
    public string? SigmaMin { get; init; }

    /// <summary>sigma_max.</summary>
    [CommandOption("--sigma-max <SIGMA>")]
    [Description("Override sigma_max (" + ConfigAllowed.SigmaMax + "; default 80).")]
    public string? SigmaMax { get; init; }

    /// <summary>sigma_data.</summary>
    [CommandOption("--sigma-data <SIGMA>")]
    [Description("Override sigma_data (" + ConfigAllowed.SigmaData + "; default 0.5).")]
    public string? SigmaData { get; init; }

    /// <summary>s_noise.</summary>
    [CommandOption("--s-noise <S>")]
    [Description("Override s_noise (" + ConfigAllowed.SNoise + "; default 1).")]
    public string? SNoise { get; init; }

    /// <summary>rho.</summary>
    [CommandOption("--rho <RHO>")]
    [Description("Override rho (" + ConfigAllowed.Rho + "; default 7).")]
    public string? Rho { get; init; }

    /// <summary>clip_denoised.</summary>
    [CommandOption("--clip-denoised <BOOL>")]
    [Description("Override clip_denoised: " + ConfigAllowed.ClipDenoised + " (default true).")]
    public string? ClipDenoised { get; init; }

    /// <summary>The overrides given, as (diffusers key, text) pairs in key order.</summary>
    public IReadOnlyList<(string Key, string Text)> Overrides() =>
        new (string Key, string? Text)[]
        {
            (ConfigKeys.NumTrainTimesteps, NumTrainTimesteps), (ConfigKeys.SigmaMin, SigmaMin), (ConfigKeys.SigmaMax, SigmaMax),
            (ConfigKeys.SigmaData, SigmaData), (ConfigKeys.SNoise, SNoise), (ConfigKeys.Rho, Rho), (ConfigKeys.ClipDenoised, ClipDenoised),
        }.Where(o => o.Text is not null).Select(o => (o.Key, o.Text!)).ToList();
}
