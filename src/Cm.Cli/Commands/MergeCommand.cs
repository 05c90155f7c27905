using Cm.Runtime.Images;
using Cm.Cli.Hosting;
using Cm.Cli.Rendering;
using Cm.Pure.Sharding;
using Cm.Pure.Tensors;
using Cm.Runtime.Errors;
using Cm.Runtime.Files;
using Cm.Runtime.Sharding;
using LanguageExt;
using Spectre.Console.Cli;
using static LanguageExt.Prelude;

namespace Cm.Cli.Commands;

/// <summary>
/// <c>cm merge</c>: checks that the shard manifests make one run (same identity, [0, N) covered exactly
/// once, every output matching its hash, with <c>--verify</c> every trace verifying), then writes the samples
/// in global order and a merged manifest recording every shard's hashes (<see cref="ShardMerge"/>).
/// Exit 3 names the missing, duplicated or overlapping shards or the file that does not match.
/// </summary>
public sealed class MergeCommand(CliConsoles io) : Command<MergeSettings>
{
    /// <summary>Largest grid <c>--png</c> renders (values); more samples than that are a clear error, not an out-of-memory.</summary>
    private const long MaxPngValues = 1L << 26;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, MergeSettings s, CancellationToken cancellationToken)
    {
        var manifestOut = s.Manifest ?? MergeJob.DefaultManifestOut(s.Out);
        var result =
            from png in s.Png is null ? FinSucc(unit) : AtomicFile.CheckTarget(s.Png, s.Force).Map(_ => unit)
            from merged in ShardMerge.Merge(new MergeJob(s.Manifests, s.Out, manifestOut, s.Verify, s.Force))
            from picture in s.Png is null ? FinSucc(unit) : Png(s.Out, s.Png, merged.Run, s.Force)
            select merged;
        return result.Match(
            Succ: m =>
            {
                io.Info(s.Out);
                io.Info(manifestOut);
                if (s.Png is not null) io.Info(s.Png);
                io.Info($"{m.Run.Samples} samples from {m.Shards.Length} shards of run {ManifestJson.RunId(m.Run)[..12]}" +
                        $"{(s.Verify ? ", every trace verified" : "")}, sha256 {m.Output.Sha256}");
                return ExitCodes.Ok;
            },
            Fail: e => Outcome.Report(io, e));
    }

    private static Fin<Unit> Png(string npy, string png, RunIdentity run, bool force)
    {
        var values = run.Samples * run.ItemShape.Count;
        if (values > MaxPngValues)
            return new OutputNotWritable(png, $"{run.Samples} samples are too many for one picture (over {MaxPngValues} values); render a subset");
        var bytes = File.ReadAllBytes(npy);
        return Npy.ReadHeader(bytes).Match(
            h => ImageGrid.Render(
                    Tensor<float>.From(Shape.Of(h.Shape), Cm.Pure.Traces.TensorHash.FromLittleEndian(bytes.AsSpan(h.Length))),
                    TileLabels.For(h.Shape[0], null))
                .Bind(img => AtomicFile.Write(png, PngEncoding.Encode(img), force)),
            () => FinFail<Unit>(new FileUnreadable(npy, "not the .npy file merge wrote")));
    }
}
