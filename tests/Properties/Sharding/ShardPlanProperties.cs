using Cm.Pure.Sharding;
using FsCheck.Xunit;
using Xunit;

namespace Cm.Tests.Sharding;

/// <summary>The split of N samples over S shards: [⌊K·N/S⌋, ⌊(K+1)·N/S⌋), stated as properties and worked examples.</summary>
public sealed class ShardPlanProperties
{
    private static ShardPlan Plan(long n, int s) => ShardPlan.Create(n, s).Match(p => p, e => throw new InvalidOperationException(e.Message));

    [Property(MaxTest = 300)]
    public void Ranges_tile_zero_to_N_in_shard_order_with_sizes_floor_or_ceil(uint n0, ushort s0)
    {
        long n = 1 + n0 % 100_000;
        int s = 1 + s0 % 300;
        var plan = Plan(n, s);
        long next = 0;
        for (var k = 0; k < s; k++)
        {
            var r = plan.RangeOf(k);
            Assert.Equal(next, r.First);
            Assert.InRange(r.Count, n / s, (n + s - 1) / s);
            next = r.End;
        }
        Assert.Equal(n, next);
    }

    [Property(MaxTest = 300)]
    public void ShardOf_names_the_shard_whose_range_holds_the_sample(uint n0, ushort s0, uint i0)
    {
        long n = 1 + n0 % 1_000_000;
        int s = 1 + s0 % 1000;
        long i = i0 % n;
        var plan = Plan(n, s);
        var r = plan.RangeOf(plan.ShardOf(i));
        Assert.True(r.First <= i && i < r.End, $"sample {i} not in {r}");
    }

    [Fact]
    public void The_largest_plan_does_not_overflow()
    {
        var plan = Plan(ShardPlan.MaxSamples, int.MaxValue);
        Assert.Equal(ShardPlan.MaxSamples, plan.RangeOf(int.MaxValue - 1).End);
        Assert.Equal(int.MaxValue - 1, plan.ShardOf(ShardPlan.MaxSamples - 1));
    }

    [Theory]
    // Worked by hand: N = 7, S = 3 → ⌊0⌋, ⌊7/3⌋ = 2, ⌊14/3⌋ = 4, 7.
    [InlineData(7, 3, new long[] { 0, 2, 4, 7 })]
    // N = 1, S = 4 → ⌊k/4⌋ = 0, 0, 0, 0, then 1: only the last shard holds a sample.
    [InlineData(1, 4, new long[] { 0, 0, 0, 0, 1 })]
    // N = 64, S = 3 → 0, 21, 42, 64.
    [InlineData(64, 3, new long[] { 0, 21, 42, 64 })]
    [InlineData(64, 4, new long[] { 0, 16, 32, 48, 64 })]
    public void Worked_examples(long n, int s, long[] bounds)
    {
        var plan = Plan(n, s);
        for (var k = 0; k < s; k++) Assert.Equal(new SampleRange(bounds[k], bounds[k + 1]), plan.RangeOf(k));
    }

    [Property(MaxTest = 200)]
    public void Batches_tile_a_range_in_order_with_only_the_last_shorter(uint first0, ushort count0, byte batch0)
    {
        long first = first0 % 1_000_000;
        var range = new SampleRange(first, first + count0 % 500);
        int batch = 1 + batch0 % 40;
        var batches = ShardPlan.Batches(range, batch).ToArray();
        Assert.Equal((range.Count + batch - 1) / batch, batches.Length);
        var next = range.First;
        foreach (var (b, i) in batches.Select((b, i) => (b, i)))
        {
            Assert.Equal(next, b.First);
            Assert.True(i == batches.Length - 1 ? b.Count is > 0 && b.Count <= batch : b.Count == batch, $"{b} of batch {batch}");
            next = b.End;
        }
        Assert.Equal(range.End, next);
    }

    [Theory]
    [InlineData(0L, 1)]
    [InlineData(-1L, 1)]
    [InlineData(4294967297L, 1)]
    [InlineData(10L, 0)]
    [InlineData(10L, -2)]
    public void Bad_plans_are_usage_errors(long n, int s) =>
        ShardPlan.Create(n, s).Match(
            _ => Assert.Fail($"{n} over {s} accepted"),
            e => Assert.Equal(Cm.Pure.Errors.ErrorKind.Usage, Cm.Pure.Errors.CmError.KindOf(e)));

    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData("3/4", 3, 4)]
    [InlineData("0/1", 0, 1)]
    public void Shard_option_parses(string text, int k, int s) =>
        ShardIndex.Parse(text).Match(x => { Assert.Equal(k, x.Index); Assert.Equal(s, x.Count); }, e => Assert.Fail(e.Message));

    [Theory]
    [InlineData("4/4")]
    [InlineData("-1/4")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    [InlineData(" 1/2")]
    public void Bad_shard_options_say_what_to_give(string text) =>
        ShardIndex.Parse(text).Match(x => Assert.Fail($"{text} parsed as {x}"), e => Assert.Contains("--shard", e.Message));
}
