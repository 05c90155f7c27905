using System.Collections.Immutable;
using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Sharding;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;

namespace Cm.Tests.Sharding;

/// <summary>Manifests as a shard run would write them, for the pure tests.</summary>
internal static class ShardManifests
{
    public static RunIdentity Run(long n, int s, ulong seed = 0) => new(
        SchedulerConfig.Default, TimestepSpec.OfIndices(22, 0), "analytic:test", new NoiseSpec(NoiseKind.Philox, seed),
        n, s, Shape.Of(1, 4, 4), "none", "0.1.0");

    private static readonly string Hash = new('a', 64);

    public static ShardManifest Of(RunIdentity run, int k, int batch = 2)
    {
        var plan = ShardPlan.Create(run.Samples, run.Shards).Match(p => p, e => throw new InvalidOperationException(e.Message));
        var range = plan.RangeOf(k);
        return Of(run, k, range, batch);
    }

    public static ShardManifest Of(RunIdentity run, int k, SampleRange range, int batch = 2) =>
        new(run, k, range, batch,
        [
            new ShardOutput(ShardOutput.SamplesRole, $"shard-{k}.npy", range, 128 + range.Count * 64, Hash),
            .. ShardPlan.Batches(range, batch).Select((b, i) => new ShardOutput(ShardOutput.TraceRole, $"shard-{k}.trace-{i}.jsonl", b, 1000, Hash)),
        ]);

    public static ImmutableArray<(string, ShardManifest)> All(RunIdentity run) =>
        [.. Enumerable.Range(0, run.Shards).Select(k => ($"manifest-{k}.json", Of(run, k)))];
}
