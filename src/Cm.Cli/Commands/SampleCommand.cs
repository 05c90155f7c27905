using System.Diagnostics;
using Cm.Cli.Hosting;
using Cm.Cli.Options;
using Cm.Cli.Sampling;
using Cm.Pure.Errors;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Attestations;
using Cm.Runtime.Devices;
using Cm.Runtime.Files;
using Cm.Runtime.Sampling;
using Cm.Runtime.Threading;
using Cm.Runtime.Traces;
using LanguageExt;
using Spectre.Console;
using Spectre.Console.Cli;
using static LanguageExt.Prelude;

namespace Cm.Cli.Commands;

/// <summary>
/// <c>cm sample</c>, the impure edge: check every input and the output path first, load the model, run the
/// pipeline (progress on stderr, Ctrl+C/SIGTERM stop it at a step boundary), render and write atomically,
/// print the paths (or <c>--json</c>) on stdout and a one-line summary on stderr.
/// </summary>
public sealed class SampleCommand(CliConsoles io) : Command<SampleSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, SampleSettings s, CancellationToken cancellationToken)
    {
        if (ShardedSample.Applies(s)) return new ShardedSample(io).Execute(s, cancellationToken);
        var total = Stopwatch.StartNew();
        var prepared =
            from loaded in EffectiveConfig.Resolve(s, SampleModels.FolderSchedulerConfig(s.Model)).Bind(l => ScheduleMathOption.Apply(l, s.ScheduleMath))
            from spec in ScheduleRequest.From(s)
            from threads in s.Threads is null ? FinSucc(Option<int>.None) : TorchThreads.Parse(s.Threads).Map(Some)
            from size in s.Shape is null || s.Batch < 1 ? FinSucc(unit) : SampleModels.ParseShape(s.Shape).Bind(item => SampleLimits.Check(s.Batch, item, s.TraceTensors)).Map(_ => unit)
            from deviceSpec in DeviceSpec.Parse(s.Device)
            from device in deviceSpec.Resolve()
            from jsonToStdout in s.Json && s.Out == "-"
                ? FinFail<Unit>(new UsageProblem("--json and --out - both write to stdout: give --out FILE with --json"))
                : FinSucc(unit)
            from outputs in SampleOutputs.Plan(s.Out, s.Format, s.PerSample, s.Force, s.Batch)
            from trace in s.Trace is null
                ? FinSucc(Option<string>.None)
                : outputs.Paths.Find(p => OutputPaths.Same(s.Trace, p)).Match(
                    Some: p => FinFail<Option<string>>(new UsageProblem($"--trace {s.Trace}: the trace and the samples must go to different files (both resolve to {Path.GetFullPath(p)})")),
                    None: () => AtomicFile.CheckTarget(s.Trace, s.Force).Map(_ => Some(s.Trace)))
            from tensorsWithoutTrace in s.TraceTensors && s.Trace is null
                ? FinFail<Unit>(new UsageProblem("--trace-tensors needs --trace FILE"))
                : FinSucc(unit)
            from signing in SampleSigning.Prepare(s)
            from threadCount in TorchThreads.Apply(threads)
            select (loaded, spec, deviceSpec, device, trace, outputs, threadCount, signing);

        return prepared.Match(
            Succ: p =>
            {
                Diagnostics.Warn(io, s.Config, p.loaded.Warnings);
                return SampleModels.Load(s.Model, s.Shape, p.loaded.Valid, p.device, Optional(s.NumClasses)).Match(
                    Succ: model =>
                    {
                        using var owned = model;
                        // The request is validated once, here, into a plan (schedule, labels, batch); the loop trusts it.
                        var plan =
                            from request in SampleRequests.For(s, p.loaded.Valid, p.spec, s.Batch, model, p.deviceSpec)
                            from valid in SamplingPlan.Create(request, p.device, model.Classes >= 0 ? Some(model.Classes) : None)
                            from size in SampleLimits.Check(s.Batch, model.ItemShape, s.TraceTensors)
                            select valid;
                        return plan.Match(
                            Succ: valid => Sample(valid, model, s, p.outputs, p.trace, p.threadCount, p.signing, total, cancellationToken),
                            Fail: e => Outcome.Report(io, e));
                    },
                    Fail: e => Outcome.Report(io, e));
            },
            Fail: e => Outcome.Report(io, e));
    }

    private int Sample(SamplingPlan plan, LoadedModel model, SampleSettings s, OutputPlan outputs, Option<string> tracePath,
        int threads, Option<SigningKey> signing, Stopwatch total, CancellationToken ct) =>
        tracePath.Match(
            Some: path => TraceWriter.Create(path, s.TraceTensors, overwrite: s.Force).Map(Optional),
            None: () => FinSucc(Option<TraceWriter>.None)).Match(
            Succ: writer =>
            {
                using var sink = writer.MatchUnsafe(w => w, () => null);
                var clock = Stopwatch.StartNew();
                var mode = ProgressModes.Resolve(s.Progress, s.Quiet, io.ErrIsTerminal);
                var result = Run(plan, model.Model, sink, mode, ct);
                var sampling = clock.Elapsed;
                var timesteps = plan.Schedule.Indices.ToArray();
                return result.Bind(r => SampleWriter.Write(io, r, s, outputs, plan.Request.Config, timesteps).Map(files => (r, files)))
                    .Bind(done => signing.Match(
                        // The attestation names the trace and every sample file written (none for --out -).
                        Some: key => SampleSigning.Sign(key, s.Trace ?? "", toSeq(done.files.Filter(f => f.Path != "-").Map(f => f.Path)), s.Force)
                            .Map(path => (done.r, done.files, Some(path))),
                        None: () => FinSucc((done.r, done.files, Option<string>.None))))
                    .Match(
                    Succ: done =>
                    {
                        var (r, files, signed) = done;
                        var traceFile = Optional(sink).Map(t => WrittenFile.OfFile(t.Path));
                        if (s.Json)
                            io.Data(SampleSummary.Json(r, s.Model, timesteps, threads, files, traceFile,
                                new SampleTimings(sampling, clock.Elapsed - sampling, total.Elapsed)));
                        else
                        {
                            foreach (var f in files.Filter(f => f.Path != "-")) io.Info(f.Path);
                            traceFile.IfSome(t => io.Info(t.Path));
                            signed.IfSome(io.Info);
                        }
                        io.Status(SampleSummary.Line(r, s.Model, timesteps, threads, clock.Elapsed));
                        return ExitCodes.Ok;
                    },
                    Fail: e => CmError.KindOf(e) == ErrorKind.Cancelled
                        ? Cancelled(e, sink)
                        : Outcome.Report(io, e));
            },
            Fail: e => Outcome.Report(io, e));

    /// <summary>Ctrl+C or SIGTERM: nothing was written; an unsealed trace stays as <c>.partial</c>, said to be incomplete.</summary>
    private int Cancelled(LanguageExt.Common.Error e, TraceWriter? sink)
    {
        if (io.ErrIsTerminal) io.Err.Cursor.Show(true);
        var partial = sink is null ? "" : $"; the incomplete trace {sink.PartialPath} is kept (it has no footer and will not verify)";
        io.Error($"cm: cancelled: {e.Message}; no samples were written{partial}");
        return ExitCodes.For(e);
    }

    private Fin<SamplingResult> Run(SamplingPlan request, Cm.Runtime.Models.IModel model, IStepObserver? trace, ProgressMode mode, CancellationToken ct)
    {
        switch (mode)
        {
            case ProgressMode.None:
                return Pipeline.Run(request, model, trace, ct);
            case ProgressMode.Plain:
                var clock = Stopwatch.StartNew();
                return Pipeline.Run(request, model, new ProgressObserver(
                    (done, total) => io.Status(ProgressText.Line(done, total, clock.Elapsed)), trace), ct);
            default:
                Fin<SamplingResult> result = default;
                io.Err.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new StepCountColumn(),
                        new ElapsedTimeColumn(), new StepRateColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("sampling", maxValue: 1);
                        result = Pipeline.Run(request, model, new ProgressObserver((done, total) =>
                        {
                            task.MaxValue = total;
                            task.Value = done;
                        }, trace), ct);
                    });
                return result;
        }
    }
}
