using System.ComponentModel;
using Cm.Cli.Hosting;
using Cm.Cli.Verification;
using Cm.Pure.Verification;
using Cm.Cli.Traces;
using Cm.Runtime.Threading;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Sampling;
using Cm.Runtime.Traces;
using LanguageExt;
using Spectre.Console.Cli;
using static LanguageExt.Prelude;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm verify</c>: the trace, what it must prove, and the output form.</summary>
public sealed class VerifySettings : VerificationSettings
{
    /// <summary>JSON verdict.</summary>
    [CommandOption("--json")]
    [Description("Print the verdict as JSON on stdout (schema cm-verify/1 in docs/cli.md); the exit code is the same.")]
    public bool Json { get; init; }
}

/// <summary>
/// <c>cm verify</c>: the trace checked at every level it can reach without the model (chain, recomputed with
/// inline tensors, seeded from the header's generator, signed by a trusted key); the first failure is
/// printed with the level that caught it. Exit 0 when the policy's levels were reached, 3 otherwise.
/// </summary>
public sealed class VerifyCommand(CliConsoles io) : Command<VerifySettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, VerifySettings s, CancellationToken cancellationToken) =>
        VerificationGate.Read(s).Match(
            Succ: t => VerificationGate.Decide(io, "verify", s, TraceFile.Verify(s.Trace, NoiseSources.Regenerate, Cm.Cli.Sampling.SampleLimits.MaxElements()), t.Keys, t.Policy,
                s.Json ? r => TraceJson.Verify(s.Trace, r) : null),
            Fail: e => Outcome.Report(io, e));
}

/// <summary>Options of <c>cm replay</c>.</summary>
public sealed class ReplaySettings : VerificationSettings
{
    /// <summary>The model.</summary>
    [CommandOption("-m|--model <MODEL>")]
    [Description("The model to replay with: analytic:NAME or a TorchScript file. Analytic models are rebuilt from the trace when omitted. Its identity must match the trace's.")]
    public string? Model { get; init; }

    /// <summary>The device.</summary>
    [CommandOption("-d|--device <DEVICE>")]
    [Description("Where to run the model: auto (default), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";

    /// <summary>JSON verdict.</summary>
    [CommandOption("--json")]
    [Description("Print the verdict as JSON on stdout (schema cm-replay/1 in docs/cli.md); the exit code is the same.")]
    public bool Json { get; init; }

    /// <summary>libtorch intra-op threads.</summary>
    [CommandOption("--threads <N>")]
    [Description("libtorch intra-op (OpenMP) threads, 1 to 1024 (default 1, as cm sample).")]
    public string? Threads { get; init; }
}

/// <summary>
/// <c>cm replay</c>: every check of <c>cm verify</c>, then the traced steps run again with the model and
/// compared with the trace (level replayed, required by default).
/// </summary>
public sealed class ReplayCommand(CliConsoles io) : Command<ReplaySettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, ReplaySettings s, CancellationToken cancellationToken)
    {
        var model =
            from gate in VerificationGate.Read(s, VerificationLevel.Replayed)
            from threads in s.Threads is null ? FinSucc(Option<int>.None) : TorchThreads.Parse(s.Threads).Map(Some)
            from applied in TorchThreads.Apply(threads)
            from h in ReadHeader(s.Trace)
            from replayable in h.Edit.Exists(e => e.Convention == EditConvention.Openai || e.Data.IsNone)
                ? FinFail<Unit>(new Cm.Pure.Errors.EditNotReplayable())
                : FinSucc(unit)
            from spec in DeviceSpec.Parse(s.Device)
            from device in spec.Resolve()
            from m in ReplayModels.For(h, Optional(s.Model), device)
            select (gate, m);
        return model.Match(
            Succ: g =>
            {
                using var replay = g.m;
                var report = TraceFile.Replay(s.Trace, replay.Evaluate, NoiseSources.Regenerate, Cm.Cli.Sampling.SampleLimits.MaxElements());
                if (report.Ok && !s.Json) io.Info($"{s.Trace}: replayed {report.Steps} steps with {replay.Identity}");
                return VerificationGate.Decide(io, "replay", s, report.Verification, g.gate.Keys, g.gate.Policy,
                    s.Json ? r => TraceJson.Replay(s.Trace, replay.Identity, report with { Verification = r }) : null);
            },
            Fail: e => Outcome.Report(io, e));
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
    [Description("A field path to leave out of the comparison, with everything below it: device (to compare a CPU run with a CUDA run step by step), tensors, config.sigma_max. Repeatable.")]
    public string[] Ignore { get; init; } = [];

    /// <summary>JSON outcome.</summary>
    [CommandOption("--json")]
    [Description("Print the outcome as JSON on stdout (schema cm-diff/1 in docs/cli.md); the exit code is the same.")]
    public bool Json { get; init; }
}

/// <summary>
/// <c>cm diff</c>: the first divergence of two traces, by field. Exit 0 when none, <see cref="ExitCodes.Different"/>
/// (1, as diff(1) and cmp(1)) when they differ, 3 when a file cannot be read.
/// </summary>
public sealed class DiffCommand(CliConsoles io) : Command<DiffSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, DiffSettings s, CancellationToken cancellationToken) =>
        TraceFile.Diff(s.A, s.B, s.Ignore.ToHashSet(StringComparer.Ordinal)).Match(
            Succ: d =>
            {
                if (s.Json)
                {
                    io.Data(TraceJson.Diff(s.A, s.B, s.Ignore, d));
                    return d.IsSome ? ExitCodes.Different : ExitCodes.Ok;
                }
                return d.Match(
                    Some: x =>
                    {
                        io.Info(x.ToString());
                        return ExitCodes.Different;
                    },
                    None: () =>
                    {
                        io.Info($"{s.A} and {s.B}: no divergence");
                        return ExitCodes.Ok;
                    });
            },
            // A missing file, a folder, a device or an empty file is not a trace: invalid input (exit 3), never "no divergence".
            Fail: e => Outcome.Report(io, e));
}
