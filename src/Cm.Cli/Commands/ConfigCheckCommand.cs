using Cm.Pure.Config;
using Cm.Cli.Hosting;
using Cm.Runtime.Configs;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary><c>cm config check FILE</c>: every problem of the file at once (exit 3), or a one-line confirmation.</summary>
public sealed class ConfigCheckCommand(CliConsoles io) : Command<ConfigCheckSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ConfigCheckSettings s, CancellationToken cancellationToken) =>
        Outcome.Exit(io, DiffusersConfigFile.Load(s.File).Map(loaded =>
        {
            Diagnostics.Warn(io, s.File, loaded.Warnings);
            var c = loaded.Valid;
            io.Info($"{s.File}: valid {ConfigKeys.ClassNameValue} config (num_train_timesteps {c.NumTrainTimesteps}, " +
                    $"sigma {c.SigmaMin.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}..{c.SigmaMax.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})" +
                    (loaded.Warnings.IsEmpty ? "" : $", {loaded.Warnings.Count} warning(s)"));
            return loaded;
        }));
}
