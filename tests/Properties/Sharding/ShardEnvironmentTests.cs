using Cm.Pure.Errors;
using Cm.Pure.Sharding;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Sharding;

/// <summary><c>--shard auto</c>: each engine's variables, and every missing or contradictory environment as a usage error.</summary>
public sealed class ShardEnvironmentTests
{
    private static (int K, int S) Ok(Option<int> shards, params string[] pairs)
    {
        var env = Env(pairs);
        return ShardEnvironment.Detect(env, shards).Match(r => (r.Shard.Index, r.Shard.Count), e => throw new InvalidOperationException(e.Message));
    }

    private static Dictionary<string, string> Env(string[] pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static CmError Fails(Option<int> shards, params string[] pairs) =>
        ShardEnvironment.Detect(Env(pairs), shards).Match(
            r => throw new InvalidOperationException($"accepted as {r.Shard} from {r.Engine}"),
            e => (CmError)e);

    [Fact]
    public void Slurm_array_with_count() =>
        Assert.Equal((2, 4), Ok(None, "SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=4", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=3"));

    [Fact]
    public void Slurm_array_from_one_is_shifted_by_its_minimum() =>
        Assert.Equal((0, 4), Ok(None, "SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=4"));

    [Fact]
    public void Slurm_array_with_a_step_is_contradictory()
    {
        var e = Fails(None, "SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_COUNT=4", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=12");
        Assert.Equal(ErrorKind.Usage, e.Kind);
        Assert.Contains("--array=0-3", e.Message);
    }

    [Fact]
    public void Kubernetes_index_takes_the_count_from_shards() =>
        Assert.Equal((5, 8), Ok(Some(8), "JOB_COMPLETION_INDEX=5"));

    [Fact]
    public void Kubernetes_index_without_shards_asks_for_shards()
    {
        var e = Fails(None, "JOB_COMPLETION_INDEX=5");
        Assert.IsType<ShardEnvironmentMissing>(e);
        Assert.Contains("--shards", e.Message);
    }

    [Fact]
    public void Open_mpi_rank_and_size() => Assert.Equal((1, 3), Ok(None, "OMPI_COMM_WORLD_RANK=1", "OMPI_COMM_WORLD_SIZE=3"));

    [Fact]
    public void Pmi_rank_and_size() => Assert.Equal((3, 4), Ok(None, "PMI_RANK=3", "PMI_SIZE=4"));

    [Fact]
    public void Engines_that_agree_are_accepted() =>
        Assert.Equal((1, 2), Ok(Some(2), "OMPI_COMM_WORLD_RANK=1", "OMPI_COMM_WORLD_SIZE=2", "PMI_RANK=1", "PMI_SIZE=2"));

    [Fact]
    public void No_variables_list_everything_looked_for()
    {
        var e = Fails(None, "PATH=/usr/bin");
        Assert.IsType<ShardEnvironmentMissing>(e);
        Assert.Equal(ErrorKind.Usage, e.Kind);
        foreach (var v in new[] { "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX",
                     "JOB_COMPLETION_INDEX", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "PMI_RANK", "PMI_SIZE" })
            Assert.Contains(v, e.Message);
    }

    [Theory]
    [InlineData("OMPI_COMM_WORLD_RANK=1")]
    [InlineData("PMI_SIZE=4")]
    [InlineData("SLURM_ARRAY_TASK_COUNT=4")]
    public void Half_an_engine_is_missing_the_other_half(string only) =>
        Assert.IsType<ShardEnvironmentMissing>(Fails(None, only));

    [Fact]
    public void Slurm_id_without_a_count_asks_for_shards() =>
        Assert.IsType<ShardEnvironmentMissing>(Fails(None, "SLURM_ARRAY_TASK_ID=0"));

    [Theory]
    [InlineData(new[] { "OMPI_COMM_WORLD_RANK=1", "OMPI_COMM_WORLD_SIZE=4", "PMI_RANK=2", "PMI_SIZE=4" }, "indices disagree")]
    [InlineData(new[] { "OMPI_COMM_WORLD_RANK=1", "OMPI_COMM_WORLD_SIZE=4", "PMI_RANK=1", "PMI_SIZE=3" }, "counts disagree")]
    [InlineData(new[] { "SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_COUNT=4", "JOB_COMPLETION_INDEX=2" }, "indices disagree")]
    [InlineData(new[] { "OMPI_COMM_WORLD_RANK=4", "OMPI_COMM_WORLD_SIZE=4" }, "outside 0..3")]
    [InlineData(new[] { "OMPI_COMM_WORLD_RANK=x", "OMPI_COMM_WORLD_SIZE=4" }, "not a non-negative integer")]
    [InlineData(new[] { "PMI_RANK=0", "PMI_SIZE=0" }, "0 shards")]
    public void Contradictory_or_malformed_environments(string[] pairs, string says)
    {
        var e = Fails(None, pairs);
        Assert.IsType<InvalidShardEnvironment>(e);
        Assert.Equal(ErrorKind.Usage, e.Kind);
        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void Shards_option_that_contradicts_the_engine_is_refused()
    {
        var e = Fails(Some(3), "OMPI_COMM_WORLD_RANK=1", "OMPI_COMM_WORLD_SIZE=4");
        Assert.IsType<InvalidShardEnvironment>(e);
        Assert.Contains("--shards says 3", e.Message);
    }
}
