using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace Cm.Cli.Hosting;

/// <summary>Spectre's generated help, with the exit codes appended to every page so scripts' authors find them.</summary>
public sealed class ExitCodeHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    /// <inheritdoc/>
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command) =>
    [
        .. base.GetFooter(model, command),
        new Markup(Environment.NewLine + "[yellow]EXIT CODES:[/]" + Environment.NewLine),
        new Text(
            "    0  ok" + Environment.NewLine +
            "    1  failure while running (e.g. an output could not be written)" + Environment.NewLine +
            "    2  usage error (unknown command or option, bad syntax)" + Environment.NewLine +
            "    3  invalid input (bad values, invalid config or schedule, bad or" + Environment.NewLine +
            "       missing file, output exists and --force not given)" + Environment.NewLine +
            "    130  cancelled by Ctrl+C or SIGTERM (nothing written)" + Environment.NewLine +
            "    cm diff: 1 when the traces differ (as diff(1))" + Environment.NewLine),
    ];
}
