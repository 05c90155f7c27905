using System.Diagnostics;
using Cm.Cli.Editing;
using Cm.Cli.Hosting;
using Cm.Cli.Options;
using Cm.Cli.Rendering;
using Cm.Cli.Sampling;
using Cm.Pure.Editing;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Editing;
using Cm.Runtime.Files;
using Cm.Runtime.Images;
using Cm.Runtime.Sampling;
using Cm.Runtime.Traces;
using Cm.Pure.Errors;
using LanguageExt;
using Spectre.Console;
using Spectre.Console.Cli;
using static LanguageExt.Prelude;

namespace Cm.Cli.Commands;

/// <summary>
/// <c>cm edit inpaint|colorize|superres</c>: zero-shot editing (Song et al. 2023, Algorithm 4) of one PNG with
/// any model Cm runs. Checks every input first (options, output path, image, model, sizes, mask), runs
/// <see cref="EditPipeline"/>, and writes a grid of reference, processed reference and result atomically; with
/// <c>--trace</c> the run is recorded as <c>cm sample</c> records one (sealed on completion; a cancelled run writes no
/// picture and keeps its unsealed partial trace), with <c>--sign</c> attested.
/// </summary>
public abstract class EditCommand(CliConsoles io, EditTask task) : Command<EditSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, EditSettings s, CancellationToken cancellationToken)
    {
        var outPath = s.Out ?? "edit.png";
        var prepared =
            from options in EditReplacement.CheckOptions(task, s)
            from loaded in EffectiveConfig.Resolve(s)
            from spec in ScheduleRequest.From(s)
            from schedule in Schedule.Create(loaded.Valid, spec)
            from deviceSpec in DeviceSpec.Parse(s.Device)
            from device in deviceSpec.Resolve()
            from target in AtomicFile.CheckTarget(outPath, s.Force)
            from trace in s.Trace is null
                ? FinSucc(Option<string>.None)
                : OutputPaths.Same(s.Trace, outPath)
                    ? FinFail<Option<string>>(new UsageProblem($"--trace {s.Trace}: the trace and the picture must go to different files (both resolve to {Path.GetFullPath(outPath)})"))
                    : AtomicFile.CheckTarget(s.Trace, s.Force).Map(_ => Some(s.Trace))
            from tensorsWithoutTrace in s.TraceTensors && s.Trace is null
                ? FinFail<Unit>(new UsageProblem("--trace-tensors needs --trace FILE"))
                : FinSucc(unit)
            from signing in SampleSigning.Prepare(s.Sign, s.Trace, s.Force)
            from image in PngReader.Read(s.Image!)
            from channels in s.Channels is null or 1 or 3
                ? FinSucc(s.Channels ?? 3)
                : FinFail<int>(new UsageProblem($"--channels {s.Channels}: give 1 or 3"))
            select (loaded, spec, schedule, deviceSpec, device, image, channels, trace, signing);

        return prepared.Match(
            Succ: p =>
            {
                Diagnostics.Warn(io, s.Config, p.loaded.Warnings);
                var analytic = s.Model.StartsWith("analytic:", StringComparison.OrdinalIgnoreCase);
                return SampleModels.Load(s.Model, analytic ? null : $"{p.channels},{p.image.Height},{p.image.Width}", p.loaded.Valid, p.device).Match(
                    Succ: loadedModel =>
                    {
                        using var model = loadedModel;
                        var (c, h, w) = (model.ItemShape[0], model.ItemShape[1], model.ItemShape[2]);
                        var edited =
                            from reference in EditInputs.Reference(p.image, c, w, h, grayToRgb: task == EditTask.Colorize)
                            from replacement in EditReplacement.For(task, s, c, h, w)
                            from _ in Replacements.Check(replacement, reference.Shape)
                            let request = new EditRequest(
                                new SamplingRequest(p.loaded.Valid, p.spec, 1, Shape.Of(c, h, w),
                                    new NoiseSpec(s.Noise == NoiseOption.Philox ? NoiseKind.Philox : NoiseKind.Torch, s.Seed),
                                    LabelSpec.Unconditional, p.deviceSpec),
                                replacement, reference)
                            from sink in p.trace.Match(
                                Some: path => TraceWriter.Create(path, s.TraceTensors, overwrite: s.Force).Map(Optional),
                                None: () => FinSucc(Option<TraceWriter>.None))
                            select (request, reference, sink);
                        var partial = Option<string>.None;
                        return edited.Bind(e =>
                        {
                            using var sink = e.sink.MatchUnsafe(w => w, () => null);
                            partial = Optional(sink?.PartialPath);
                            var clock = Stopwatch.StartNew();
                            return Run(e.request, model, s.Quiet, sink, cancellationToken)
                                .Map(result => (result, elapsed: clock.Elapsed))
                                .Bind(r => Write(r.result, e.reference, outPath, s.Force).Map(_ => r))
                                .Bind(r => p.signing.Match(
                                    // The attestation names the trace and the picture.
                                    Some: key => SampleSigning.Sign(key, s.Trace ?? "", Seq1(outPath), s.Force).Map(a => (r.result, r.elapsed, signed: Some(a))),
                                    None: () => FinSucc((r.result, r.elapsed, signed: Option<string>.None))));
                        }).Match(
                            Succ: r =>
                            {
                                io.Info(outPath);
                                p.trace.IfSome(io.Info);
                                r.signed.IfSome(io.Info);
                                io.Info($"{EditReplacement.Name(task)} of {s.Image} ({w}x{h}) with {s.Model}, " +
                                        $"{(p.schedule.Steps == 1 ? "1 step" : $"{p.schedule.Steps} steps")} (timesteps {string.Join(",", p.schedule.Indices)}), " +
                                        $"{r.result.Header.Noise} noise, on {r.result.Header.Device}, {r.elapsed.TotalSeconds:0.00} s");
                                return ExitCodes.Ok;
                            },
                            Fail: e => CmError.KindOf(e) == ErrorKind.Cancelled ? Cancelled(e, partial) : Outcome.Report(io, e));
                    },
                    Fail: e => Outcome.Report(io, e));
            },
            Fail: e => Outcome.Report(io, e));
    }

    /// <summary>Ctrl+C or SIGTERM: no picture was written; an unsealed trace stays as <c>.partial</c>, said to be incomplete (as <c>cm sample</c>).</summary>
    private int Cancelled(LanguageExt.Common.Error e, Option<string> partial)
    {
        if (io.ErrIsTerminal) io.Err.Cursor.Show(true);
        io.Error($"cm: cancelled: {e.Message}; no picture was written" +
                 partial.Match(p => $"; the incomplete trace {p} is kept (it has no footer and will not verify)", () => ""));
        return ExitCodes.For(e);
    }

    private Fin<EditResult> Run(EditRequest request, LoadedModel model, bool quiet, IStepObserver? trace, CancellationToken ct)
    {
        if (quiet || !io.Err.Profile.Capabilities.Interactive)
            return EditPipeline.Run(request, model.Model, trace, ct);
        Fin<EditResult> result = default;
        io.Err.Progress().AutoClear(true).Start(ctx =>
        {
            var bar = ctx.AddTask(EditReplacement.Name(task), maxValue: 1);
            result = EditPipeline.Run(request, model.Model, new ProgressObserver((done, total) =>
            {
                bar.MaxValue = total;
                bar.Value = done;
            }, trace), ct);
        });
        return result;
    }

    /// <summary>The three tiles (reference, processed reference, result) as one PNG grid, written atomically.</summary>
    private static Fin<Unit> Write(EditResult r, Tensor<float> reference, string path, bool force)
    {
        var shape = Shape.Of(3, reference.Shape[1], reference.Shape[2], reference.Shape[3]);
        var tiles = Tensor<float>.Create(shape, (reference, r), static (dst, a) =>
        {
            var n = a.reference.Count;
            a.reference.Data.CopyTo(dst[..n]);
            a.r.Processed.Data.CopyTo(dst.Slice(n, n));
            a.r.Result.Data.CopyTo(dst.Slice(2 * n, n));
        });
        // One row: the input, its processed form (what the edit keeps: openai's images_processed), the result.
        return ImageGrid.Render(tiles, ["input", "known", "result"], GridLayout.For(3, shape[2], shape[3]) with { Columns = 3 })
            .Bind(img => AtomicFile.Write(path, PngEncoding.Encode(img), force));
    }
}

/// <summary><c>cm edit inpaint</c>.</summary>
public sealed class InpaintCommand(CliConsoles io) : EditCommand(io, EditTask.Inpaint);

/// <summary><c>cm edit colorize</c>.</summary>
public sealed class ColorizeCommand(CliConsoles io) : EditCommand(io, EditTask.Colorize);

/// <summary><c>cm edit superres</c>.</summary>
public sealed class SuperResCommand(CliConsoles io) : EditCommand(io, EditTask.SuperRes);
