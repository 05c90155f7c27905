using Cm.Cli.Hosting;
using Cm.Cli.Options;
using Cm.Cli.Schedules;
using Cm.Runtime.Files;
using LanguageExt;
using Spectre.Console.Cli;
using static LanguageExt.Prelude;

namespace Cm.Cli.Commands;

/// <summary>
/// <c>cm schedule</c>, the impure edge: resolve the config, build the schedule, check the plot path, then
/// print and write. Every input is checked before anything is printed or written.
/// </summary>
public sealed class ScheduleCommand(CliConsoles io) : Command<ScheduleCommandSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ScheduleCommandSettings s, CancellationToken cancellationToken)
    {
        var prepared =
            from loaded in EffectiveConfig.Resolve(s).Bind(l => ScheduleMathOption.Apply(l, s.ScheduleMath))
            from spec in ScheduleRequest.From(s)
            from schedule in Schedule.Create(loaded.Valid, spec)
            from plot in s.Plot is null ? FinSucc(Option<string>.None) : AtomicFile.CheckTarget(s.Plot, s.Force).Map(_ => Some(s.Plot))
            select (loaded, view: ScheduleView.Of(loaded.Valid, schedule), plot);

        return prepared.Match(
            Succ: p =>
            {
                Diagnostics.Warn(io, s.Config, p.loaded.Warnings);
                switch (s.Format)
                {
                    case OutputFormat.Json: io.Data(ScheduleJson.Render(p.view)); break;
                    case OutputFormat.Csv: io.Data(ScheduleCsv.Render(p.view)); break;
                    default: io.Out.Write(ScheduleTable.Render(p.view)); break;
                }
                return p.plot.Match(
                    Some: path => Outcome.Exit(io, AtomicFile.Write(path, SchedulePlot.Render(p.view), s.Force)
                        .Map(u => { io.Error($"cm: wrote plot {path}"); return u; })),
                    None: () => ExitCodes.Ok);
            },
            Fail: e => Outcome.Report(io, e));
    }
}
