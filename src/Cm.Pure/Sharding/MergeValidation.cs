using System.Collections.Immutable;
using Cm.Pure.Errors;
using LanguageExt;

namespace Cm.Pure.Sharding;

/// <summary>
/// Whether a set of shard manifests makes one run, as a pure decision: the same run identity, every shard
/// index 0..S−1 present exactly once, each claiming exactly the range the plan gives it
/// ([⌊K·N/S⌋, ⌊(K+1)·N/S⌋)), its samples file covering that range and its traces covering it in order.
/// Then the ranges tile [0, N) exactly once. Every problem is named (manifest, shard, samples), not only the first.
/// </summary>
public static class MergeValidation
{
    /// <summary>The set in shard order, or every reason it is not one run.</summary>
    public static Fin<ShardSet> Check(IReadOnlyList<(string Name, ShardManifest Manifest)> manifests)
    {
        if (manifests.Count == 0) return new InvalidShardSet(["no manifests given: pass every shard's manifest-*.json"]);
        var problems = new List<string>();

        var reference = manifests[0];
        var referenceId = ManifestJson.RunId(reference.Manifest.Run);
        var referenceFields = ManifestJson.IdentityFields(reference.Manifest.Run);
        foreach (var (name, m) in manifests.Skip(1))
        {
            if (ManifestJson.RunId(m.Run) == referenceId) continue;
            var fields = ManifestJson.IdentityFields(m.Run);
            var differ = Enumerable.Zip(referenceFields, fields, (a, b) => (a.Key, Theirs: b.Json, Ours: a.Json))
                .Where(p => p.Theirs != p.Ours)
                .Select(p => $"{p.Key} {p.Theirs} vs {p.Ours}");
            problems.Add($"{name} belongs to another run than {reference.Name}: {string.Join("; ", differ)}");
        }
        if (problems.Count > 0) return new InvalidShardSet(problems);

        var run = reference.Manifest.Run;
        var plan = ShardPlan.Create(run.Samples, run.Shards).Match(p => p, e => throw new InvalidOperationException(e.Message));
        foreach (var group in manifests.GroupBy(x => x.Manifest.Shard).Where(g => g.Count() > 1))
            problems.Add($"shard {group.Key} (samples {plan.RangeOf(group.Key)}) is given {group.Count()} times: {string.Join(", ", group.Select(x => x.Name))}");

        foreach (var (name, m) in manifests)
        {
            var owned = plan.RangeOf(m.Shard);
            if (m.Range != owned)
                problems.Add($"{name} (shard {m.Shard}) claims samples {m.Range}, but shard {m.Shard} of {run.Shards} owns {owned}");
            m.Samples.Match(
                s => { if (s.Range != m.Range) problems.Add($"{name}: its samples file {s.File} holds {s.Range}, not the shard's {m.Range}"); },
                () => problems.Add($"{name}: no samples file"));
            var expected = m.Range.First;
            foreach (var t in m.Traces)
            {
                if (t.Range.First != expected || t.Range.IsEmpty)
                    problems.Add($"{name}: trace {t.File} holds {t.Range}, expected a batch starting at sample {expected}");
                expected = t.Range.End;
            }
            if (m.Traces.Any() && expected != m.Range.End)
                problems.Add($"{name}: its traces end at sample {expected}, the shard at {m.Range.End}");
        }

        var distinct = manifests.DistinctBy(x => x.Manifest.Shard).OrderBy(x => x.Manifest.Range.First).ThenBy(x => x.Manifest.Shard).ToArray();
        for (var i = 0; i < distinct.Length; i++)
            for (var j = i + 1; j < distinct.Length && distinct[j].Manifest.Range.First < distinct[i].Manifest.Range.End; j++)
                if (distinct[i].Manifest.Range.Overlaps(distinct[j].Manifest.Range))
                    problems.Add($"{distinct[i].Name} {distinct[i].Manifest.Range} overlaps {distinct[j].Name} {distinct[j].Manifest.Range}");

        var present = manifests.Select(x => x.Manifest.Shard).ToHashSet();
        var missing = Enumerable.Range(0, run.Shards).Where(k => !present.Contains(k)).ToArray();
        if (missing.Length > 0)
            problems.Add($"missing {(missing.Length == 1 ? "shard" : "shards")} of {run.Shards}: " +
                         string.Join(", ", missing.Take(20).Select(k => $"{k} (samples {plan.RangeOf(k)})")) +
                         (missing.Length > 20 ? $", … ({missing.Length} in all)" : ""));

        return problems.Count > 0
            ? new InvalidShardSet(problems)
            : new ShardSet(run, [.. manifests.OrderBy(x => x.Manifest.Shard)]);
    }
}
