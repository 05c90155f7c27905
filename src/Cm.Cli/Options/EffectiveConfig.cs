using Cm.Pure.Config;
using Cm.Runtime.Configs;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Options;

/// <summary>
/// The config a command runs with: the <c>--config</c> file (or diffusers' defaults), then the overrides,
/// then validation. Reading the file is this function's only effect; warnings are returned, not printed.
/// </summary>
public static class EffectiveConfig
{
    /// <summary>The validated effective config with its document (to write back) and the file's warnings.</summary>
    public static Fin<LoadedConfig> Resolve(ConfigSettings s) => Resolve(s, null);

    /// <summary>
    /// As <see cref="Resolve(ConfigSettings)"/>, but without <c>--config</c> the file <paramref name="fallback"/> (e.g. a
    /// model folder's <c>scheduler/scheduler_config.json</c>) replaces diffusers' defaults when given.
    /// </summary>
    public static Fin<LoadedConfig> Resolve(ConfigSettings s, string? fallback)
    {
        var file = s.Config ?? fallback;
        return (file is null
                ? FinSucc(new ConfigRead(ConfigDocument.Of(SchedulerConfig.Default), Arr<ConfigWarning>.Empty))
                : DiffusersConfigFile.Decode(file))
            .Bind(read => Combine(read, s.Overrides(), Source(file, s)));
    }

    private static string Source(string? file, ConfigSettings s) =>
        (file is null ? "diffusers' defaults" : $"'{file}'") + (s.Overrides().Count > 0 ? " with the command-line overrides" : "");

    /// <summary>Pure part: overrides on top of a read document, then every value rule.</summary>
    public static Fin<LoadedConfig> Combine(ConfigRead read, IEnumerable<(string Key, string Text)> overrides, string source) =>
        ConfigOverrides.Apply(read.Document.Config, overrides)
            .Match(
                Succ: valid => FinSucc(new LoadedConfig(valid, read.Document with { Config = valid.Value }, read.Warnings)),
                Fail: problems => FinFail<LoadedConfig>(new InvalidEffectiveConfig(source, problems.ToArr())));
}
