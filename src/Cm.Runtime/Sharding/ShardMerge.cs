using System.Collections.Immutable;
using Cm.Pure.Errors;
using Cm.Pure.Sharding;
using Cm.Runtime.Errors;
using Cm.Runtime.Files;
using Cm.Runtime.Sampling;
using Cm.Runtime.Traces;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Sharding;

/// <summary>
/// <c>cm merge</c> as a library call: read every shard manifest (bounded), decide that they make one run
/// (<see cref="MergeValidation"/>), check every output against its recorded size and SHA-256 (and, asked
/// to, verify every trace), then write the samples in global order under one <c>.npy</c> header, streamed
/// shard by shard, and a merged manifest that records every shard's hashes. The merged file equals the
/// single-process run byte for byte: the same header for [N, …item] and the same samples in the same order.
/// </summary>
public static class ShardMerge
{
    /// <summary>Largest <c>.npy</c> header read back (Cm writes 64..128 bytes).</summary>
    private const int MaxHeaderBytes = 1 << 16;

    /// <summary>Checks the shards and writes the merged files; returns the merged manifest.</summary>
    public static Fin<MergedManifest> Merge(MergeJob job) =>
        from outPath in AtomicFile.CheckTarget(job.Out, job.Force)
        from manifestOut in AtomicFile.CheckTarget(job.ManifestOut, job.Force)
        from read in job.Manifests.Select(Read).Aggregate(
            FinSucc(ImmutableArray<(string Name, ShardManifest Manifest, string Sha256)>.Empty),
            (acc, r) => acc.Bind(a => r.Map(a.Add)))
        from set in MergeValidation.Check([.. read.Select(r => (r.Name, r.Manifest))])
        from size in set.Run.Samples <= int.MaxValue
            ? FinSucc(unit)
            : FinFail<Unit>(new InvalidShard($"{set.Run.Samples} samples do not fit one .npy (its shape holds at most {int.MaxValue}); read the shards in order instead"))
        from layouts in set.Shards.Select(s => CheckOutputs(s.Name, s.Manifest, set.Run, job.VerifyTraces)).Aggregate(
            FinSucc(ImmutableArray<(string Path, int HeaderBytes)>.Empty), (acc, r) => acc.Bind(a => r.Map(a.Add)))
        from written in AtomicFile.WriteWith(job.Out, stream => Concatenate(stream, set.Run, layouts), job.Force)
        from hash in FileHash.Sha256(job.Out)
        let merged = new MergedManifest(set.Run,
            [.. set.Shards.Select(s => (read.First(r => r.Name == s.Name).Sha256, s.Manifest))],
            new ShardOutput(ShardOutput.SamplesRole, Path.GetFileName(job.Out), new SampleRange(0, set.Run.Samples), hash.Bytes, hash.Sha256))
        from saved in AtomicFile.Write(job.ManifestOut, ManifestJson.Merged(merged), job.Force)
        select merged;

    /// <summary>Reads and parses one manifest, at most <see cref="ManifestJson.MaxBytes"/> bytes.</summary>
    public static Fin<(string Name, ShardManifest Manifest, string Sha256)> Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return new FileUnreadable(path, "no such file; pass each shard's manifest-K.json");
            if (info.Length > ManifestJson.MaxBytes) return new InvalidManifest(path, "file", $"{info.Length} bytes, over the {ManifestJson.MaxBytes}-byte limit");
            var bytes = File.ReadAllBytes(path);
            return ManifestJson.ParseShard(path, bytes).Map(m => (path, m, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileUnreadable(path, e.Message);
        }
    }

    // Every output's size and SHA-256 as recorded; the samples file's header is the one Cm writes for the
    // shard's [count, …item] (so its data starts right after it); with verify, every trace verifies.
    private static Fin<(string Path, int HeaderBytes)> CheckOutputs(string name, ShardManifest m, RunIdentity run, bool verify)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(name))!;
        return
            from outputs in m.Outputs.Select(o => CheckOutput(name, Path.Combine(folder, o.File), o, verify)).ToSeq().Sequence()
            from samples in m.Samples.ToFin(new InvalidManifest(name, "outputs", "no samples file"))
            from layout in NpyLayout(name, Path.Combine(folder, samples.File), [checked((int)m.Range.Count), .. run.ItemShape.Dims])
            select layout;
    }

    private static Fin<Unit> CheckOutput(string name, string path, ShardOutput o, bool verify) =>
        from hash in FileHash.Sha256(path)
        from same in hash.Bytes == o.Bytes && hash.Sha256 == o.Sha256
            ? FinSucc(unit)
            : FinFail<Unit>(new ShardOutputMismatch(name, o.File,
                $"{hash.Bytes} bytes with SHA-256 {hash.Sha256}, but the manifest records {o.Bytes} bytes with SHA-256 {o.Sha256}"))
        from verified in verify && o.Role == ShardOutput.TraceRole ? VerifyTrace(name, path, o.File) : FinSucc(unit)
        select unit;

    private static Fin<Unit> VerifyTrace(string name, string path, string file)
    {
        var report = TraceFile.Verify(path, NoiseSources.Regenerate);
        return report.Failure.Match(
            Some: f => FinFail<Unit>(new ShardTraceFailed(name, file, f.Message)),
            None: () => report.Complete
                ? FinSucc(unit)
                : FinFail<Unit>(new ShardTraceFailed(name, file, "the trace is incomplete (no sealed footer)")));
    }

    private static Fin<(string Path, int HeaderBytes)> NpyLayout(string name, string path, int[] shape)
    {
        var start = new byte[MaxHeaderBytes];
        int got;
        long length;
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            got = f.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            length = f.Length;
        }
        var expected = shape.Aggregate(4L, (a, d) => a * d);
        return Npy.ReadHeader(start.AsSpan(0, got)).Match(
            h => h.Shape.SequenceEqual(shape) && h.Length + expected == length
                ? FinSucc((path, h.Length))
                : FinFail<(string, int)>(new ShardOutputMismatch(name, Path.GetFileName(path),
                    $"holds shape ({string.Join(", ", h.Shape)}) in {length} bytes; the manifest's run needs ({string.Join(", ", shape)}) in {h.Length + expected}")),
            () => FinFail<(string, int)>(new ShardOutputMismatch(name, Path.GetFileName(path), "not a float32 .npy file as cm sample writes it")));
    }

    private static Fin<Unit> Concatenate(Stream output, RunIdentity run, ImmutableArray<(string Path, int HeaderBytes)> shards)
    {
        output.Write(Npy.Header([checked((int)run.Samples), .. run.ItemShape.Dims]));
        foreach (var (path, header) in shards)
        {
            using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            input.Seek(header, SeekOrigin.Begin);
            input.CopyTo(output, 1 << 20);
        }
        return unit;
    }
}
