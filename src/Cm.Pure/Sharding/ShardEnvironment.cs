using System.Globalization;
using Cm.Pure.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Sharding;

/// <summary>
/// <c>--shard auto</c>: the shard index and count a job engine gives a process, read from its environment
/// as a dictionary (pure: the caller reads the variables). Engines and their variables:
/// <list type="bullet">
/// <item>Slurm job arrays: <c>SLURM_ARRAY_TASK_ID</c>, the count from <c>SLURM_ARRAY_TASK_COUNT</c> or
/// <c>SLURM_ARRAY_TASK_MAX − SLURM_ARRAY_TASK_MIN + 1</c>; the index is ID − MIN (MIN 0 if unset), so
/// <c>--array=1-4</c> works too. An array with a step or a list (count ≠ MAX − MIN + 1) is refused.</item>
/// <item>Kubernetes Indexed Jobs: <c>JOB_COMPLETION_INDEX</c>; Kubernetes exports no count, so <c>--shards S</c> gives it.</item>
/// <item>Open MPI: <c>OMPI_COMM_WORLD_RANK</c> and <c>OMPI_COMM_WORLD_SIZE</c>.</item>
/// <item>PMI (MPICH Hydra, Intel MPI): <c>PMI_RANK</c> and <c>PMI_SIZE</c>.</item>
/// </list>
/// Several engines may be present (mpirun inside a Slurm array task): they must name the same shard, and a
/// given <c>--shards</c> must equal every count found; otherwise the environment is contradictory.
/// </summary>
public static class ShardEnvironment
{
    /// <summary>What <c>--shard auto</c> looks for, for messages.</summary>
    public const string LookedFor =
        "SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT or SLURM_ARRAY_TASK_MIN/SLURM_ARRAY_TASK_MAX (Slurm job array); " +
        "JOB_COMPLETION_INDEX with --shards S (Kubernetes Indexed Job); " +
        "OMPI_COMM_WORLD_RANK with OMPI_COMM_WORLD_SIZE (Open MPI); " +
        "PMI_RANK with PMI_SIZE (MPICH/Hydra PMI)";

    /// <summary>A shard as one engine reported it.</summary>
    /// <param name="Engine">The engine and the variables used, for messages.</param>
    /// <param name="Index">K.</param>
    /// <param name="Count">S, if the engine gives it.</param>
    public sealed record Found(string Engine, long Index, Option<long> Count);

    /// <summary>The shard of this process, from <paramref name="env"/> and <paramref name="shards"/> (<c>--shards</c>).</summary>
    public static Fin<(ShardIndex Shard, string Engine)> Detect(IReadOnlyDictionary<string, string> env, Option<int> shards) =>
        from found in Engines(env)
        from shard in Decide(found, shards)
        select shard;

    /// <summary>Every engine whose variables are present, each read on its own.</summary>
    public static Fin<Seq<Found>> Engines(IReadOnlyDictionary<string, string> env) =>
        from slurm in Slurm(env)
        from k8s in Kubernetes(env)
        from ompi in Pair(env, "Open MPI", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE")
        from pmi in Pair(env, "PMI", "PMI_RANK", "PMI_SIZE")
        select toSeq(new[] { slurm, k8s, ompi, pmi }).Somes();

    private static Fin<(ShardIndex, string)> Decide(Seq<Found> found, Option<int> shards)
    {
        if (found.IsEmpty)
            return new ShardEnvironmentMissing("no job engine's shard variables are set", LookedFor);
        var counts = found.Choose(f => f.Count.Map(c => (f.Engine, Count: c)));
        var given = shards.Map(s => (Engine: "--shards", Count: (long)s));
        var all = counts + given.ToSeq();
        if (all.IsEmpty)
            return new ShardEnvironmentMissing(
                $"{found.Head.Engine} gives the shard index {found.Head.Index} but no shard count; give --shards S (the Job's completions)", LookedFor);
        if (all.Map(c => c.Count).Distinct().Count() > 1)
            return new InvalidShardEnvironment(
                "the shard counts disagree: " + string.Join(", ", all.Map(c => $"{c.Engine} says {c.Count}")), LookedFor);
        if (found.Map(f => f.Index).Distinct().Count() > 1)
            return new InvalidShardEnvironment(
                "the shard indices disagree: " + string.Join(", ", found.Map(f => $"{f.Engine} says {f.Index}")), LookedFor);
        var count = all.Head.Count;
        var index = found.Head.Index;
        if (count < 1 || count > int.MaxValue)
            return new InvalidShardEnvironment($"{all.Head.Engine} gives {count} shards; need 1..{int.MaxValue}", LookedFor);
        if (index < 0 || index >= count)
            return new InvalidShardEnvironment($"{found.Head.Engine} gives shard index {index}, outside 0..{count - 1} for {count} shards", LookedFor);
        return ShardIndex.Create((int)index, (int)count, found.Head.Engine).Map(s => (s, found.Head.Engine));
    }

    private static Fin<Option<Found>> Slurm(IReadOnlyDictionary<string, string> env)
    {
        const string id = "SLURM_ARRAY_TASK_ID", countVar = "SLURM_ARRAY_TASK_COUNT", minVar = "SLURM_ARRAY_TASK_MIN", maxVar = "SLURM_ARRAY_TASK_MAX";
        if (!env.ContainsKey(id))
        {
            var stray = new[] { countVar, minVar, maxVar }.Where(env.ContainsKey).ToArray();
            return stray.Length == 0
                ? FinSucc(Option<Found>.None)
                : new ShardEnvironmentMissing($"{string.Join(", ", stray)} set but {id} missing", LookedFor);
        }
        return
            from task in Number(env, id)
            from count in OptionalNumber(env, countVar)
            from min in OptionalNumber(env, minVar)
            from max in OptionalNumber(env, maxVar)
            from found in SlurmShard(task, count, min, max)
            select Some(found);
    }

    private static Fin<Found> SlurmShard(long task, Option<long> count, Option<long> min, Option<long> max)
    {
        var first = min.IfNone(0);
        var span = max.Map(m => m - first + 1);
        var engine = "Slurm (SLURM_ARRAY_TASK_ID" + (min.IsSome ? " − SLURM_ARRAY_TASK_MIN" : "") + ")";
        if ((count, span) is ({ IsSome: true }, { IsSome: true }) && count != span)
            return new InvalidShardEnvironment(
                $"SLURM_ARRAY_TASK_COUNT = {count.IfNone(0)} but SLURM_ARRAY_TASK_MAX − SLURM_ARRAY_TASK_MIN + 1 = {span.IfNone(0)}: " +
                "the array has a step or a list of indices; submit a contiguous array, e.g. --array=0-3", LookedFor);
        return new Found(engine, task - first, count || span);
    }

    private static Fin<Option<Found>> Kubernetes(IReadOnlyDictionary<string, string> env) =>
        env.ContainsKey("JOB_COMPLETION_INDEX")
            ? Number(env, "JOB_COMPLETION_INDEX").Map(i => Some(new Found("Kubernetes (JOB_COMPLETION_INDEX)", i, None)))
            : FinSucc(Option<Found>.None);

    private static Fin<Option<Found>> Pair(IReadOnlyDictionary<string, string> env, string engine, string rankVar, string sizeVar) =>
        (env.ContainsKey(rankVar), env.ContainsKey(sizeVar)) switch
        {
            (false, false) => FinSucc(Option<Found>.None),
            (true, false) => new ShardEnvironmentMissing($"{rankVar} set but {sizeVar} missing", LookedFor),
            (false, true) => new ShardEnvironmentMissing($"{sizeVar} set but {rankVar} missing", LookedFor),
            _ => from rank in Number(env, rankVar)
                 from size in Number(env, sizeVar)
                 select Some(new Found($"{engine} ({rankVar}/{sizeVar})", rank, Some(size))),
        };

    private static Fin<Option<long>> OptionalNumber(IReadOnlyDictionary<string, string> env, string name) =>
        env.ContainsKey(name) ? Number(env, name).Map(Some) : FinSucc(Option<long>.None);

    private static Fin<long> Number(IReadOnlyDictionary<string, string> env, string name) =>
        long.TryParse(env[name].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= int.MaxValue
            ? FinSucc(v)
            : new InvalidShardEnvironment($"{name} = '{env[name]}' is not a non-negative integer", LookedFor);
}
