using Cm.Cli.Hosting;
using Cm.Cli.Options;
using Cm.Runtime.Configs;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary><c>cm config show</c>: the effective config (file, then overrides), validated, as diffusers' JSON on stdout.</summary>
public sealed class ConfigShowCommand(CliConsoles io) : Command<ConfigSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ConfigSettings s, CancellationToken cancellationToken) =>
        Outcome.Exit(io, EffectiveConfig.Resolve(s).Map(loaded =>
        {
            Diagnostics.Warn(io, s.Config, loaded.Warnings);
            io.Data(DiffusersConfigJson.Encode(loaded.Document));
            return loaded;
        }));
}
