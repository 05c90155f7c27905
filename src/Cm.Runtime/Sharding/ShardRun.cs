using System.Collections.Immutable;
using Cm.Pure.Errors;
using Cm.Pure.Sharding;
using Cm.Pure.Traces;
using Cm.Runtime.Files;
using Cm.Runtime.Models;
using Cm.Runtime.Sampling;
using Cm.Runtime.Traces;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Sharding;

/// <summary>
/// Runs one shard as an independent process would: its range of the plan in batches, writing its samples
/// (<c>.npy</c>), one audit trace per batch and its manifest (docs/scale-out.md). Needs nothing from any
/// other shard. Every file is written atomically and holds no clock, so a shard run again (after a node
/// failure, with <c>Force</c>) writes the same bytes.
/// </summary>
public static class ShardRun
{
    /// <summary>The run identity of a job with a model.</summary>
    public static RunIdentity Identity(ShardJob job, IModel model) => new(
        job.Run.Config.Value, job.Run.Schedule, model.Identity, job.Run.Noise with { FirstSample = 0 },
        job.Plan.Samples, job.Plan.Shards, job.Run.ItemShape, BatchedRun.LabelIdentity(job.Run.Labels), Pipeline.LibraryVersion);

    /// <summary>Checks a job before any work: the shard fits the plan, the noise can be sharded, labels cover the run.</summary>
    public static Fin<ShardJob> Check(ShardJob job) =>
        job.Shard.Count != job.Plan.Shards
            ? new InvalidShard($"shard {job.Shard} does not belong to a plan of {job.Plan.Shards} shards")
            : job.Run.Noise.Kind != NoiseKind.Philox && job.Plan.Shards > 1
                ? new UnshardableNoise($"splitting a run into {job.Plan.Shards} shards")
                : job.Run.Noise.Kind != NoiseKind.Philox && job.BatchSize < job.Plan.Samples
                ? new UnshardableNoise($"computing {job.Plan.Samples} samples in batches of {job.BatchSize}")
                : job.BatchSize < 1
                    ? new InvalidShard($"batch size {job.BatchSize}: give at least 1")
                    : job.Plan.RangeOf(job.Shard.Index).Count > int.MaxValue
                    ? new InvalidShard($"shard {job.Shard} holds {job.Plan.RangeOf(job.Shard.Index).Count} samples; one shard's .npy holds at most {int.MaxValue}: use more shards")
                    : job.Run.Labels is LabelSpec.Given g && g.Labels.Length != job.Plan.Samples
                        ? new InvalidShard($"{g.Labels.Length} class labels for a run of {job.Plan.Samples} samples: give one label per sample of the whole run")
                        : FinSucc(job);

    /// <summary>Runs the shard and writes its files; returns its manifest and the manifest's path.</summary>
    public static Fin<(ShardManifest Manifest, string Path)> Run(ShardJob job, IModel model, torch.Device device, Option<int> classes,
        CancellationToken cancellation = default)
    {
        var range = job.Plan.RangeOf(job.Shard.Index);
        var batches = ShardPlan.Batches(range, Math.Max(1, job.BatchSize)).ToArray();
        string In(string name) => Path.Combine(job.Folder, name);
        var samplesFile = ShardFiles.Samples(job.Shard);
        var manifestFile = ShardFiles.Manifest(job.Shard);
        var traceFiles = batches.Select((_, i) => ShardFiles.Trace(job.Shard, i)).ToArray();

        return
            from ok in Check(job)
            from schedule in Schedule.Create(job.Run.Config, job.Run.Schedule)   // before any file or folder is made
            from folder in EnsureFolder(job.Folder)
            from targets in new[] { samplesFile, manifestFile }.Concat(traceFiles)
                .Select(f => AtomicFile.CheckTarget(In(f), job.Force)).ToSeq().Sequence()
            from written in AtomicFile.WriteWith(In(samplesFile), stream => WriteSamples(job, schedule, model, device, classes, range, stream, i => In(traceFiles[i]), cancellation), job.Force)
            from samples in Output(In(samplesFile), samplesFile, ShardOutput.SamplesRole, range)
            from traces in batches.Select((b, i) => Output(In(traceFiles[i]), traceFiles[i], ShardOutput.TraceRole, b)).ToSeq().Sequence()
            let manifest = new ShardManifest(Identity(job, model), job.Shard.Index, range, job.BatchSize, [samples, .. traces])
            from saved in AtomicFile.Write(In(manifestFile), ManifestJson.Shard(manifest), job.Force)
            select (manifest, In(manifestFile));
    }

    private static Fin<Unit> WriteSamples(ShardJob job, Schedule schedule, IModel model, torch.Device device, Option<int> classes, SampleRange range, Stream stream,
        Func<int, string> tracePath, CancellationToken cancellation)
    {
        stream.Write(Npy.Header([checked((int)range.Count), .. job.Run.ItemShape.Dims]));
        TraceWriter? current = null;
        try
        {
            return BatchedRun.Run(job.Run, schedule, range, job.BatchSize, model, device, classes,
                (i, _) =>
                {
                    current?.Dispose();
                    return TraceWriter.Create(tracePath(i), job.TraceTensors).Map(w =>
                    {
                        current = w;
                        return Some<IStepObserver>(w);
                    });
                },
                (_, result) =>
                {
                    stream.Write(TensorHash.LittleEndianBytes(result.Samples.Data));
                    return FinSucc(unit);
                },
                cancellation);
        }
        finally
        {
            current?.Dispose();
        }
    }

    // Shards of one array start at once and may all create the folder: CreateDirectory is idempotent.
    private static Fin<Unit> EnsureFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new Errors.OutputNotWritable(folder, e.Message);
        }
    }

    private static Fin<ShardOutput> Output(string path, string file, string role, SampleRange range) =>
        FileHash.Sha256(path).Map(h => new ShardOutput(role, file, range, h.Bytes, h.Sha256));
}
