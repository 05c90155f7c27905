using System.ComponentModel;
using Cm.Cli.Hosting;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Sampling;
using Cm.Runtime.Traces;
using LanguageExt;
using Spectre.Console.Cli;
using static LanguageExt.Prelude;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm verify</c>.</summary>
public sealed class VerifySettings : CommandSettings
{
    /// <summary>The trace.</summary>
    [CommandArgument(0, "<TRACE>")]
    [Description("A trace file (JSON Lines, docs/trace-format.md).")]
    public string Trace { get; init; } = "";
}

/// <summary>
/// <c>cm verify</c>: the hash chain and everything derivable from the header (schedule, scalars, the
/// noise regenerated from the seed) and, with inline tensors, every step recomputed bit for bit. The first
/// failure is printed as step, field, expected, found; exit 3.
/// </summary>
public sealed class VerifyCommand(CliConsoles io) : Command<VerifySettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, VerifySettings s, CancellationToken cancellationToken)
    {
        var report = TraceFile.Verify(s.Trace, NoiseSources.Regenerate, Cm.Cli.Sampling.SampleLimits.MaxElements());
        if (!report.Ok)
        {
            io.Error("cm: verify: " + report);
            return ExitCodes.InvalidInput;
        }
        io.Info($"{s.Trace}: verified ({report})");
        return ExitCodes.Ok;
    }
}

/// <summary>Options of <c>cm replay</c>.</summary>
public sealed class ReplaySettings : CommandSettings
{
    /// <summary>The trace.</summary>
    [CommandArgument(0, "<TRACE>")]
    [Description("A trace file with inline tensors (cm sample --trace FILE --trace-tensors).")]
    public string Trace { get; init; } = "";

    /// <summary>The model.</summary>
    [CommandOption("-m|--model <MODEL>")]
    [Description("The model to replay with: analytic:NAME or a TorchScript file. Analytic models are rebuilt from the trace when omitted. Its identity must match the trace's.")]
    public string? Model { get; init; }

    /// <summary>The device.</summary>
    [CommandOption("-d|--device <DEVICE>")]
    [Description("Where to run the model: auto (default), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";
}

/// <summary><c>cm replay</c>: run the traced steps again with the model and compare every step with the trace.</summary>
public sealed class ReplayCommand(CliConsoles io) : Command<ReplaySettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ReplaySettings s, CancellationToken cancellationToken)
    {
        var header = ReadHeader(s.Trace);
        var model =
            from h in header
            from spec in DeviceSpec.Parse(s.Device)
            from device in spec.Resolve()
            from m in ReplayModels.For(h, Optional(s.Model), device)
            select m;
        if (model.IsFail) return Outcome.Exit(io, model);
        using var replay = (ReplayModel)model;
        var report = TraceFile.Replay(s.Trace, replay.Forward, NoiseSources.Regenerate, Cm.Cli.Sampling.SampleLimits.MaxElements());
        if (!report.Ok)
        {
            io.Error("cm: replay: " + report);
            return ExitCodes.InvalidInput;
        }
        io.Info($"{s.Trace}: replayed with {replay.Identity} ({report})");
        return ExitCodes.Ok;
    }

    /// <summary>The run header of a trace file (its first line).</summary>
    public static Fin<RunHeader> ReadHeader(string path) =>
        TraceReader.Lines(path).Take(1).Select(input => input switch
        {
            TraceInput.Line line => TraceParser.Parse(line.Number, line.Bytes).Bind(l => l is HeaderLine h
                ? FinSucc(h.Run)
                : FinFail<RunHeader>(new TraceFailure(line.Number, None, "kind", "a header on line 1", "another record"))),
            TraceInput.Unreadable u => FinFail<RunHeader>(new TraceFailure(u.Number, None, u.Field, u.Expected, u.Found)),
            _ => FinFail<RunHeader>(new TraceFailure(1, None, "line", "a header", "nothing")),
        }).DefaultIfEmpty(FinFail<RunHeader>(new TraceFailure(1, None, "file", "a header line", "an empty file"))).First();
}

/// <summary>Options of <c>cm diff</c>.</summary>
public sealed class DiffSettings : CommandSettings
{
    /// <summary>First trace.</summary>
    [CommandArgument(0, "<A>")]
    [Description("First trace file.")]
    public string A { get; init; } = "";

    /// <summary>Second trace.</summary>
    [CommandArgument(1, "<B>")]
    [Description("Second trace file.")]
    public string B { get; init; } = "";

    /// <summary>Field paths to skip.</summary>
    [CommandOption("--ignore <FIELD>")]
    [Description("A field path to leave out of the comparison, e.g. device (to compare a CPU run with a CUDA run step by step). Repeatable.")]
    public string[] Ignore { get; init; } = [];
}

/// <summary><c>cm diff</c>: the first divergence of two traces, by field (exit 0 when none, 3 when they differ).</summary>
public sealed class DiffCommand(CliConsoles io) : Command<DiffSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, DiffSettings s, CancellationToken cancellationToken) =>
        TraceFile.Diff(s.A, s.B, s.Ignore.ToHashSet(StringComparer.Ordinal)).Match(
            Succ: found => found.Match(
                Some: d =>
                {
                    io.Info(d.ToString());
                    return ExitCodes.InvalidInput;
                },
                None: () =>
                {
                    io.Info($"{s.A} and {s.B}: no divergence");
                    return ExitCodes.Ok;
                }),
            Fail: e => Outcome.Report(io, e));
}
