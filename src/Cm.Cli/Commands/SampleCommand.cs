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
            from schedule in Schedule.Create(loaded.Valid, spec)
            from batch in s.Batch >= 1 ? FinSucc(s.Batch) : FinFail<int>(new UsageProblem($"--batch {s.Batch}: give at least 1 sample"))
            from size in s.Shape is null ? FinSucc(unit) : SampleModels.ParseShape(s.Shape).Bind(item => SampleLimits.Check(batch, item, s.TraceTensors)).Map(_ => unit)
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
            select (loaded, spec, schedule, deviceSpec, device, trace);

        return prepared.Match(
            Succ: p =>
            {
                Diagnostics.Warn(io, s.Config, p.loaded.Warnings);
                var modelResult = SampleModels.Load(s.Model, s.Shape, p.loaded.Valid, p.device);
                if (modelResult.IsFail) return Outcome.Exit(io, modelResult);
                using var model = (LoadedModel)modelResult;
                var size = SampleLimits.Check(s.Batch, model.ItemShape, s.TraceTensors);
                if (size.IsFail) return Outcome.Exit(io, size);
                var labels = LabelOption.Parse(s.ClassLabels, model.Classes, s.Model);
                if (labels.IsFail) return Outcome.Exit(io, labels);
                var request = new SamplingRequest(
                    p.loaded.Valid, p.spec, s.Batch, Shape.Of(model.ItemShape),
                    new NoiseSpec(s.Noise == NoiseOption.Philox ? NoiseKind.Philox : NoiseKind.Torch, s.Seed),
                    (LabelSpec)labels, p.deviceSpec);

                var writer = p.trace.Match(
                    Some: path => TraceWriter.Create(path, s.TraceTensors, overwrite: s.Force).Map(Optional),
                    None: () => FinSucc(Option<TraceWriter>.None));
                if (writer.IsFail) return Outcome.Exit(io, writer);
                using var sink = ((Option<TraceWriter>)writer).MatchUnsafe(w => w, () => null);

                var clock = Stopwatch.StartNew();
                var result = Run(request, model, sink, s.Quiet, cancellationToken);
                clock.Stop();
                return result.Bind(r => Write(r, s, outPath).Map(_ => r)).Match(
                    Succ: r =>
                    {
                        io.Info(outPath);
                        if (sink is not null) io.Info(sink.Path);
                        io.Info(Summary(r, s, p.schedule, clock.Elapsed));
                        return ExitCodes.Ok;
                    },
                    Fail: e => Outcome.Report(io, e));
            },
            Fail: e => Outcome.Report(io, e));
    }

    private Fin<SamplingResult> Run(SamplingRequest request, LoadedModel model, IStepObserver? trace, bool quiet, CancellationToken ct)
    {
        if (quiet || !io.Err.Profile.Capabilities.Interactive)
            return Pipeline.Run(request, model.Model, trace, ct);
        Fin<SamplingResult> result = default;
        io.Err.Progress().AutoClear(true).Start(ctx =>
        {
            var task = ctx.AddTask("sampling", maxValue: 1);
            result = Pipeline.Run(request, model.Model, new ProgressObserver((done, total) =>
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
