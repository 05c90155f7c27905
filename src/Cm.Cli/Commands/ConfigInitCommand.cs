using Cm.Cli.Hosting;
using Cm.Cli.Options;
using Cm.Pure.Config;
using Cm.Runtime.Configs;
using LanguageExt;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary><c>cm config init</c>: diffusers' defaults plus overrides, validated, written atomically.</summary>
public sealed class ConfigInitCommand(CliConsoles io) : Command<ConfigInitSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ConfigInitSettings s, CancellationToken cancellationToken)
    {
        var defaults = new ConfigRead(ConfigDocument.Of(SchedulerConfig.Default), Arr<ConfigWarning>.Empty);
        var written =
            from loaded in EffectiveConfig.Combine(defaults, s.Overrides(), "diffusers' defaults with the command-line overrides")
            from _ in DiffusersConfigFile.Save(s.Out, loaded.Document, s.Force)
            select loaded;
        return Outcome.Exit(io, written.Map(_ => { io.Info($"Wrote {s.Out} (check it with: cm config check {s.Out})"); return _; }));
    }
}
