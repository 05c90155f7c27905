using Cm.Pure.Errors;
using Cm.Pure.Sharding;
using FsCheck.Xunit;
using Xunit;

namespace Cm.Tests.Sharding;

/// <summary>The merge's pure decision: one run, every shard once, [0, N) covered exactly once; every problem named.</summary>
public sealed class MergeValidationTests
{
    private static InvalidShardSet Invalid(IReadOnlyList<(string, ShardManifest)> set) =>
        MergeValidation.Check(set).Match(s => throw new InvalidOperationException("accepted"), e => Assert.IsType<InvalidShardSet>(e));

    [Property(MaxTest = 100)]
    public void A_complete_set_in_any_order_is_accepted_in_shard_order(byte n0, byte s0, int shuffle)
    {
        var run = ShardManifests.Run(1 + n0 % 70, 1 + s0 % 9);
        var all = ShardManifests.All(run);
        var shuffled = all.OrderBy(x => (x.Item1.GetHashCode() ^ shuffle) & 0xffff).ToArray();
        var set = MergeValidation.Check(shuffled).Match(s => s, e => throw new InvalidOperationException(e.Message));
        Assert.Equal(Enumerable.Range(0, run.Shards), set.Shards.Select(x => x.Manifest.Shard));
        Assert.Equal(run.Samples, set.Shards.Sum(x => x.Manifest.Range.Count));
    }

    [Fact]
    public void A_missing_shard_is_named_with_its_samples()
    {
        var all = ShardManifests.All(ShardManifests.Run(7, 3));
        var e = Invalid([all[0], all[2]]);
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Contains("missing shard of 3: 1 (samples [2, 4))", e.Message);
    }

    [Fact]
    public void A_duplicated_shard_names_both_manifests()
    {
        var all = ShardManifests.All(ShardManifests.Run(7, 3));
        var e = Invalid([.. all, ("copy/manifest-1.json", all[1].Item2)]);
        Assert.Contains("shard 1 (samples [2, 4)) is given 2 times: manifest-1.json, copy/manifest-1.json", e.Message);
    }

    [Fact]
    public void An_overlapping_shard_is_named_and_so_is_the_range_it_does_not_own()
    {
        var run = ShardManifests.Run(7, 3);
        var all = ShardManifests.All(run);
        var wide = ("manifest-1.json", ShardManifests.Of(run, 1, new SampleRange(1, 4)));
        var e = Invalid([all[0], wide, all[2]]);
        Assert.Contains("manifest-0.json [0, 2) overlaps manifest-1.json [1, 4)", e.Message);
        Assert.Contains("manifest-1.json (shard 1) claims samples [1, 4), but shard 1 of 3 owns [2, 4)", e.Message);
    }

    [Fact]
    public void Shards_of_another_run_are_named_with_the_fields_that_differ()
    {
        var a = ShardManifests.All(ShardManifests.Run(7, 3, seed: 0));
        var b = ShardManifests.All(ShardManifests.Run(7, 3, seed: 1));
        var e = Invalid([a[0], b[1], a[2]]);
        Assert.Contains("manifest-1.json belongs to another run than manifest-0.json: noise {\"kind\":\"philox\",\"seed\":1} vs {\"kind\":\"philox\",\"seed\":0}", e.Message);
    }

    [Fact]
    public void Shards_split_differently_are_different_runs()
    {
        var a = ShardManifests.All(ShardManifests.Run(8, 2));
        var b = ShardManifests.All(ShardManifests.Run(8, 4));
        var e = Invalid([a[0], b[2], b[3]]);
        Assert.Contains("shards 4 vs 2", e.Message);
    }

    [Fact]
    public void Traces_that_do_not_cover_the_shard_in_order_are_named()
    {
        var run = ShardManifests.Run(8, 2);
        var all = ShardManifests.All(run);
        var m = all[1].Item2;
        var gap = m with { Outputs = m.Outputs.RemoveAt(1) };
        var e = Invalid([all[0], ("manifest-1.json", gap)]);
        Assert.Contains("manifest-1.json: trace shard-1.trace-1.jsonl holds [6, 8), expected a batch starting at sample 4", e.Message);
    }

    [Fact]
    public void No_manifests_at_all_is_an_error() => Assert.Contains("no manifests", Invalid([]).Message);
}
