using System.Diagnostics;
using Cm.Cli.Hosting;
using Cm.Cli.Options;
using Cm.Cli.Rendering;
using Cm.Cli.Sampling;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Files;
using Cm.Runtime.Sampling;
using Cm.Runtime.Traces;
using LanguageExt;
using Spectre.Console;
using Spectre.Console.Cli;
using static LanguageExt.Prelude;

namespace Cm.Cli.Commands;

/// <summary>
/// <c>cm sample</c>, the impure edge: check every input and the output path first, load the model, run the
/// pipeline (with a progress bar on a terminal), render and write atomically, print the path and a summary.
/// </summary>
public sealed class SampleCommand(CliConsoles io) : Command<SampleSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, SampleSettings s, CancellationToken cancellationToken)
    {
        var outPath = s.Out ?? (s.Format == SampleFormat.Npy ? "samples.npy" : "samples.png");
        var prepared =
            from loaded in EffectiveConfig.Resolve(s)
            from spec in ScheduleRequest.From(s)
            from size in s.Shape is null || s.Batch < 1 ? FinSucc(unit) : SampleModels.ParseShape(s.Shape).Bind(item => SampleLimits.Check(s.Batch, item, s.TraceTensors)).Map(_ => unit)
            from deviceSpec in DeviceSpec.Parse(s.Device)
            from device in deviceSpec.Resolve()
            from target in AtomicFile.CheckTarget(outPath, s.Force)
            from trace in s.Trace is null
                ? FinSucc(Option<string>.None)
                : OutputPaths.Same(s.Trace, outPath)
                    ? FinFail<Option<string>>(new UsageProblem($"--trace {s.Trace}: the trace and the samples must go to different files (both resolve to {Path.GetFullPath(outPath)})"))
                    : AtomicFile.CheckTarget(s.Trace, s.Force).Map(_ => Some(s.Trace))
            from tensorsWithoutTrace in s.TraceTensors && s.Trace is null
                ? FinFail<Unit>(new UsageProblem("--trace-tensors needs --trace FILE"))
                : FinSucc(unit)
            select (loaded, spec, deviceSpec, device, trace);

        return prepared.Match(
            Succ: p =>
            {
                Diagnostics.Warn(io, s.Config, p.loaded.Warnings);
                return SampleModels.Load(s.Model, s.Shape, p.loaded.Valid, p.device).Match(
                    Succ: model =>
                    {
                        using var owned = model;
                        // The request is validated once, here, into a plan (schedule, labels, batch); the loop trusts it.
                        var plan =
                            from labels in LabelOption.Parse(s.ClassLabels, model.Classes, s.Model)
                            let request = new SamplingRequest(
                                p.loaded.Valid, p.spec, s.Batch, Shape.Of(model.ItemShape),
                                new NoiseSpec(s.Noise == NoiseOption.Philox ? NoiseKind.Philox : NoiseKind.Torch, s.Seed),
                                labels, p.deviceSpec)
                            from valid in SamplingPlan.Create(request, p.device, model.Classes >= 0 ? Some(model.Classes) : None)
                            from size in SampleLimits.Check(s.Batch, model.ItemShape, s.TraceTensors)
                            select valid;
                        return plan.Match(
                            Succ: valid => Sample(valid, model, s, outPath, p.trace, cancellationToken),
                            Fail: e => Outcome.Report(io, e));
                    },
                    Fail: e => Outcome.Report(io, e));
            },
            Fail: e => Outcome.Report(io, e));
    }

    private int Sample(SamplingPlan plan, LoadedModel model, SampleSettings s, string outPath, Option<string> tracePath, CancellationToken ct) =>
        tracePath.Match(
            Some: path => TraceWriter.Create(path, s.TraceTensors, overwrite: s.Force).Map(Optional),
            None: () => FinSucc(Option<TraceWriter>.None)).Match(
            Succ: writer =>
            {
                using var sink = writer.MatchUnsafe(w => w, () => null);
                var clock = Stopwatch.StartNew();
                var result = Run(plan, model, sink, s.Quiet, ct);
                clock.Stop();
                return result.Bind(r => Write(r, s, outPath).Map(_ => r)).Match(
                    Succ: r =>
                    {
                        io.Info(outPath);
                        if (sink is not null) io.Info(sink.Path);
                        io.Info(Summary(r, s, plan.Schedule, clock.Elapsed));
                        return ExitCodes.Ok;
                    },
                    Fail: e => Outcome.Report(io, e));
            },
            Fail: e => Outcome.Report(io, e));

    private Fin<SamplingResult> Run(SamplingPlan plan, LoadedModel model, IStepObserver? trace, bool quiet, CancellationToken ct)
    {
        if (quiet || !io.Err.Profile.Capabilities.Interactive)
            return Pipeline.Run(plan, model.Model, trace, ct);
        Fin<SamplingResult> result = default;
        io.Err.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask("sampling", maxValue: 1);
            result = Pipeline.Run(plan, model.Model, new ProgressObserver((done, total) =>
            {
                task.MaxValue = total;
                task.Value = done;
            }, trace), ct);
        });
        return result;
    }

    private static Fin<Unit> Write(SamplingResult r, SampleSettings s, string path) =>
        s.Format == SampleFormat.Npy
            ? AtomicFile.Write(path, Npy.Encode(r.Samples), s.Force)
            : ImageGrid.Render(r.Samples, TileLabels.For(r.Samples.Shape.Batch, r.Labels.IsEmpty ? null : r.Labels))
                .Bind(img => AtomicFile.Write(path, PngEncoding.Encode(img), s.Force));

    private static string Summary(SamplingResult r, SampleSettings s, Schedule schedule, TimeSpan elapsed)
    {
        var shape = string.Join("x", r.Samples.Shape.Dims.Skip(1));
        var steps = schedule.Steps == 1 ? "1 step" : $"{schedule.Steps} steps";
        var labels = r.Labels.IsEmpty ? "unconditional" : $"labels {string.Join(",", r.Labels.Take(8))}{(r.Labels.Length > 8 ? ",…" : "")}";
        return $"{r.Samples.Shape.Batch} samples {shape} from {s.Model}, {steps} (timesteps {string.Join(",", schedule.Indices)}), " +
               $"{r.Header.Noise} noise, {labels}, on {r.Header.Device}, {elapsed.TotalSeconds:0.00} s";
    }
}
