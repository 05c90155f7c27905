using Cm.Runtime.Images;
using System.Collections;
using System.Diagnostics;
using Cm.Cli.Commands;
using Cm.Cli.Hosting;
using Cm.Cli.Options;
using Cm.Cli.Rendering;
using Cm.Pure.Errors;
using Cm.Pure.Sharding;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Files;
using Cm.Runtime.Sampling;
using Cm.Runtime.Sharding;
using Cm.Runtime.Traces;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Cli.Sampling;

/// <summary>
/// <c>cm sample --samples N [--shard K/S | --shard auto [--shards S]]</c>: a run of N samples computed in
/// batches of <c>--batch</c>, either whole in this process (one <c>--out</c> file) or one shard of it
/// (<see cref="ShardRun"/>: shard-K.npy, a trace per batch and manifest-K.json in <c>--shard-dir</c>,
/// for <c>cm merge</c>). docs/scale-out.md.
/// </summary>
public sealed class ShardedSample(CliConsoles io)
{
    /// <summary>Whether the options ask for a run of N samples or a shard (otherwise <c>cm sample</c> runs one batch as before).</summary>
    public static bool Applies(SampleSettings s) => s.Samples is not null || s.Shard is not null || s.Shards is not null || s.ShardDir is not null;

    /// <summary>Runs it; the exit code.</summary>
    public int Execute(SampleSettings s, CancellationToken cancellation)
    {
        var prepared =
            from samples in s.Samples is { } n
                ? FinSucc(n)
                : FinFail<long>(new InvalidShard("--shard, --shards and --shard-dir split a run of --samples N samples; give --samples"))
            from shard in Shard(s)
            from plan in ShardPlan.Create(samples, shard.Map(x => x.Count).IfNone(1))
            from batch in s.Batch >= 1 ? FinSucc(s.Batch) : FinFail<int>(new UsageProblem($"--batch {s.Batch}: give at least 1 sample"))
            from loaded in EffectiveConfig.Resolve(s)
            from spec in ScheduleRequest.From(s)
            from deviceSpec in DeviceSpec.Parse(s.Device)
            from device in deviceSpec.Resolve()
            select (shard, plan, batch, loaded, spec, deviceSpec, device);

        return prepared.Match(
            Succ: p =>
            {
                Diagnostics.Warn(io, s.Config, p.loaded.Warnings);
                return SampleModels.Load(s.Model, s.Shape, p.loaded.Valid, p.device, Optional(s.NumClasses)).Match(
                    Succ: loaded =>
                    {
                        using var model = loaded;
                        var run = SampleRequests.For(s, p.loaded.Valid, p.spec, p.batch, model, p.deviceSpec);
                        return run.Match(
                            Succ: request => p.shard.Match(
                                Some: shard => RunShard(s, new ShardJob(request, p.plan, shard, p.batch, s.ShardDir ?? ".", s.TraceTensors, s.Force), model, p.device, cancellation),
                                None: () => RunWhole(s, request, p.plan, model, p.device, cancellation)),
                            Fail: e => Outcome.Report(io, e));
                    },
                    Fail: e => Outcome.Report(io, e));
            },
            Fail: e => Outcome.Report(io, e));
    }

    /// <summary>The shard to compute: <c>--shard K/S</c>, or the job engine's variables with <c>--shard auto</c>; none without <c>--shard</c>.</summary>
    private static Fin<Option<ShardIndex>> Shard(SampleSettings s)
    {
        if (s.Shard is null)
            return s.Shards is not null || s.ShardDir is not null
                ? new InvalidShard("--shards and --shard-dir need --shard K/S or --shard auto")
                : FinSucc(Option<ShardIndex>.None);
        if (s.Shard.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
            return ShardEnvironment.Detect(Variables(), Optional(s.Shards)).Map(d => Some(d.Shard));
        return ShardIndex.Parse(s.Shard.Trim()).Bind(k =>
            s.Shards is { } count && count != k.Count
                ? FinFail<Option<ShardIndex>>(new InvalidShard($"--shard {s.Shard} names {k.Count} shards but --shards says {count}"))
                : FinSucc(Some(k)));
    }

    private static Dictionary<string, string> Variables() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);

    private int RunShard(SampleSettings s, ShardJob job, LoadedModel model, torch.Device device, CancellationToken cancellation)
    {
        if (s.Out is not null || s.Trace is not null)
            return Outcome.Report(io, new InvalidShard(
                "--shard writes its own files into --shard-dir (shard-K.npy, one trace per batch, manifest-K.json); leave --out and --trace out"));
        var clock = Stopwatch.StartNew();
        var result =
            from ok in ShardRun.Check(job)
            from done in ShardRun.Run(job, model.Model, device, Classes(model), cancellation)
            select done;
        return result.Match(
            Succ: r =>
            {
                io.Info(r.Path);
                var traces = r.Manifest.Traces.Count();
                io.Info($"shard {job.Shard}: samples {r.Manifest.Range} of {job.Plan.Samples} from {s.Model}, " +
                        $"{traces} {(traces == 1 ? "trace" : "traces")}, run {ManifestJson.RunId(r.Manifest.Run)[..12]}, {clock.Elapsed.TotalSeconds:0.00} s");
                return ExitCodes.Ok;
            },
            Fail: e => Outcome.Report(io, e));
    }

    // The model's class count as a plan checks labels against it (None: the model does not say).
    private static Option<int> Classes(LoadedModel model) => model.Classes >= 0 ? Some(model.Classes) : None;

    private int RunWhole(SampleSettings s, SamplingRequest request, ShardPlan plan, LoadedModel model, torch.Device device, CancellationToken cancellation)
    {
        var outPath = s.Out ?? (s.Format == SampleFormat.Npy ? "samples.npy" : "samples.png");
        var whole = new SampleRange(0, plan.Samples);
        var batches = ShardPlan.Batches(whole, s.Batch).Count();
        var clock = Stopwatch.StartNew();
        var data = new List<float>();
        var labels = new List<int>();
        var result =
            from job in ShardRun.Check(new ShardJob(request, plan, ShardIndex.Create(0, 1, "run").ThrowIfFail(), s.Batch, ".", s.TraceTensors, s.Force))
            from count in plan.Samples * request.ItemShape.Count <= int.MaxValue
                ? FinSucc(unit)
                : FinFail<Unit>(new InvalidShard($"{plan.Samples} samples of {request.ItemShape.Count} values do not fit one file in one process; split the run with --shard"))
            from traceOk in s.Trace is not null && batches > 1
                ? FinFail<Unit>(new UsageProblem($"--trace records one batch, and {plan.Samples} samples in batches of {s.Batch} make {batches}; use --shard 0/1 (a trace per batch and a manifest) or --batch {plan.Samples}"))
                : s.TraceTensors && s.Trace is null ? FinFail<Unit>(new UsageProblem("--trace-tensors needs --trace FILE")) : FinSucc(unit)
            from target in AtomicFile.CheckTarget(outPath, s.Force)
            from ran in BatchedRun.Run(request, whole, s.Batch, model.Model, device, Classes(model),
                (_, _) => s.Trace is null
                    ? FinSucc(Option<IStepObserver>.None)
                    : AtomicFile.CheckTarget(s.Trace, s.Force).Bind(_ => TraceWriter.Create(s.Trace, s.TraceTensors)).Map(w => Some<IStepObserver>(w)),
                (_, r) =>
                {
                    data.AddRange(r.Samples.Data.ToArray());
                    labels.AddRange(r.Labels);
                    return FinSucc(unit);
                },
                cancellation)
            let samples = Tensor<float>.From(Shape.Of([checked((int)plan.Samples), .. request.ItemShape.Dims]), data.ToArray())
            from written in s.Format == SampleFormat.Npy
                ? AtomicFile.Write(outPath, Npy.Encode(samples), s.Force)
                : ImageGrid.Render(samples, TileLabels.For(samples.Shape.Batch, labels.Count == 0 ? null : [.. labels]))
                    .Bind(img => AtomicFile.Write(outPath, PngEncoding.Encode(img), s.Force))
            select unit;
        return result.Match(
            Succ: _ =>
            {
                io.Info(outPath);
                if (s.Trace is not null) io.Info(s.Trace);
                io.Info($"{plan.Samples} samples {string.Join("x", request.ItemShape.Dims)} from {s.Model} in {batches} {(batches == 1 ? "batch" : "batches")} of {s.Batch}, " +
                        $"{request.Noise} noise, {clock.Elapsed.TotalSeconds:0.00} s");
                return ExitCodes.Ok;
            },
            Fail: e => Outcome.Report(io, e));
    }
}
