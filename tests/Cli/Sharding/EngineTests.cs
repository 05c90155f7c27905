using Xunit;

namespace Cm.Tests.Cli.Sharding;

/// <summary>
/// Real engines started by the tests: a Slurm job array of 4 tasks and Open MPI with 4 ranks run the built
/// <c>cm</c> (<c>dotnet cm.dll</c>) with <c>--shard auto</c>; the merge equals the single-process run byte
/// for byte. Kubernetes is not run here (no cluster); its variable is given by hand, as the kubelet would.
/// Missing engines fail loudly (install them with .ci/setup), never skip.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EngineTests
{
    private const int N = 24;

    private static string[] Sample(string shardDir, params string[] extra) =>
        [CmProcess.DllPath, "sample", "--noise", "philox", "--samples", $"{N}", "--batch", "4", "--shard", "auto", "--shard-dir", shardDir, "-q", "--model", "analytic:gaussian", .. extra];

    private static byte[] Single()
    {
        using var dir = new TempDir();
        var r = CliHarness.Run("sample", "--noise", "philox", "--samples", $"{N}", "--batch", $"{N}", "--format", "npy", "--out", dir.File("single.npy"), "-q", "--model", "analytic:gaussian");
        Assert.True(r.Code == 0, r.ToString());
        return File.ReadAllBytes(dir.File("single.npy"));
    }

    private static void MergesToTheSingleRun(string shardDir, int shards, string context)
    {
        var manifests = Directory.GetFiles(shardDir, "manifest-*.json").Order().ToArray();
        Assert.True(manifests.Length == shards, $"{manifests.Length} manifests, expected {shards}\n{context}");
        var merged = Path.Combine(shardDir, "all.npy");
        var r = CliHarness.Run(["merge", .. manifests, "--out", merged, "--verify"]);
        Assert.True(r.Code == 0, r + "\n" + context);
        Assert.Equal(Single(), File.ReadAllBytes(merged));
    }

    [Fact]
    public void A_slurm_job_array_of_four_tasks_merges_to_the_single_run()
    {
        using var cluster = SlurmCluster.Start();
        var shards = cluster.Dir.File("shards");
        var script = cluster.Dir.Write("job.sh",
            "#!/bin/bash\nexport OMP_NUM_THREADS=1\nexec dotnet " +
            string.Join(' ', Sample(shards).Select(a => $"'{a}'")) + "\n");
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        var sbatch = Processes.Require("sbatch", "slurm-wlm");
        var r = Processes.Run(sbatch, ["--array=0-3", "--wait", "--job-name=cm-shards", "-o", cluster.Dir.File("task-%a.out"), script], cluster.Env, 300);
        var outputs = string.Join("\n", Directory.GetFiles(cluster.Dir.Path, "task-*.out").Order().Select(f => $"--- {f} ---\n{File.ReadAllText(f)}"));
        Assert.True(r.Code == 0, $"sbatch failed: {r}\n{outputs}\n{cluster.Logs()}");
        MergesToTheSingleRun(shards, 4, outputs);
    }

    [Fact]
    public void Open_mpi_with_four_ranks_merges_to_the_single_run()
    {
        var mpirun = Processes.Require("mpirun", "openmpi-bin");
        using var dir = new TempDir();
        var shards = dir.File("shards");
        var r = Processes.Run(mpirun, ["--allow-run-as-root", "--oversubscribe", "-np", "4", "dotnet", .. Sample(shards)], null, 300);
        Assert.True(r.Code == 0, $"mpirun failed: {r}");
        MergesToTheSingleRun(shards, 4, r.ToString());
    }

    [Fact]
    public void Kubernetes_completion_indices_with_shards_merge_to_the_single_run()
    {
        using var dir = new TempDir();
        var shards = dir.File("shards");
        for (var k = 0; k < 3; k++)
        {
            var r = Processes.Run("dotnet", Sample(shards, "--shards", "3"), new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = $"{k}" });
            Assert.True(r.Code == 0, r.ToString());
        }
        MergesToTheSingleRun(shards, 3, "");
    }

    [Fact]
    public void Shard_auto_without_an_engine_is_exit_2_listing_the_variables()
    {
        using var dir = new TempDir();
        var r = Processes.Run("dotnet", Sample(dir.File("shards")));
        Assert.True(r.Code == 2, r.ToString());
        foreach (var v in Processes.ShardVariables) Assert.Contains(v, r.Err);
        Assert.False(Directory.Exists(dir.File("shards")));
    }

    [Fact]
    public void Shard_auto_with_contradicting_engines_is_exit_2()
    {
        using var dir = new TempDir();
        var r = Processes.Run("dotnet", Sample(dir.File("shards")), new Dictionary<string, string>
        {
            ["OMPI_COMM_WORLD_RANK"] = "1", ["OMPI_COMM_WORLD_SIZE"] = "4", ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_TASK_COUNT"] = "4",
        });
        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("indices disagree", r.Err);
    }
}
