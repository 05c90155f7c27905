using Cm.Runtime.Images;
using System.Globalization;
using Cm.Cli.Commands;
using Cm.Cli.Hosting;
using Cm.Cli.Rendering;
using Cm.Pure.Config;
using Cm.Pure.Tensors;
using Cm.Runtime.Configs;
using Cm.Runtime.Errors;
using Cm.Runtime.Files;
using Cm.Runtime.Sampling;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Sampling;

/// <summary>
/// Renders and writes the outputs of a finished run: a labelled grid or an array, one per sample with
/// <c>--per-sample</c>, or stdout with <c>--out -</c>. PNGs carry their provenance in tEXt chunks
/// (<see cref="Provenance"/>). Files are written atomically; an explicit path is replaced only with <c>--force</c>.
/// </summary>
public static class SampleWriter
{
    /// <summary>Writes every output of <paramref name="plan"/>; returns what was written.</summary>
    public static Fin<Seq<WrittenFile>> Write(CliConsoles io, SamplingResult r, SampleSettings s, OutputPlan plan, ValidConfig config, IReadOnlyList<int> timesteps)
    {
        var batch = r.Samples.Shape.Batch;
        var encoded = s.PerSample
            ? toSeq(Enumerable.Range(0, batch)).Strict().Fold(FinSucc(Seq<byte[]>()), (acc, i) => acc.Bind(list => EncodeOne(r, s, config, timesteps, i).Map(b => list.Add(b))))
            : Encode(r, s, config, timesteps).Map(Seq1);
        return encoded.Bind(bytes =>
        {
            if (plan.ToStdout)
            {
                if (io.OpenBinaryOut is null) return FinFail<Seq<WrittenFile>>(new WriteFailed("-", "stdout is not available as a byte stream here"));
                try
                {
                    using var stdout = io.OpenBinaryOut();
                    stdout.Write(bytes.Head);
                    stdout.Flush();
                }
                catch (IOException e)
                {
                    return FinFail<Seq<WrittenFile>>(new WriteFailed("-", e.Message));
                }
                return FinSucc(Seq1(WrittenFile.Of("-", bytes.Head)));
            }
            var force = s.Force && plan.Explicit;
            return plan.Paths.Zip(bytes).Fold(FinSucc(Seq<WrittenFile>()), (acc, pb) =>
                acc.Bind(list => AtomicFile.Write(pb.Item1, pb.Item2, force).Map(_ => list.Add(WrittenFile.Of(pb.Item1, pb.Item2)))));
        });
    }

    /// <summary>The PNG text chunks of a run's image: software, model identity, noise and seed, timesteps, labels, config.</summary>
    public static IReadOnlyList<(string, string)> Provenance(SamplingResult r, ValidConfig config, IReadOnlyList<int> timesteps, string what) =>
    [
        ("Software", "cm " + CliApp.Version),
        ("cm:model", r.Header.Model),
        ("cm:noise", r.Header.Noise.Kind.ToString().ToLowerInvariant()),
        ("cm:seed", r.Header.Noise.Seed.ToString(CultureInfo.InvariantCulture)),
        ("cm:timesteps", string.Join(",", timesteps)),
        ("cm:labels", r.Labels.IsEmpty ? "unconditional" : string.Join(",", r.Labels)),
        ("cm:image", what),
        ("cm:config", DiffusersConfigJson.Encode(ConfigDocument.Of(config.Value))),
    ];

    private static Fin<byte[]> Encode(SamplingResult r, SampleSettings s, ValidConfig config, IReadOnlyList<int> timesteps) =>
        s.Format == SampleFormat.Npy
            ? FinSucc(Npy.Encode(r.Samples))
            : ImageGrid.Render(r.Samples, TileLabels.For(r.Samples.Shape.Batch, r.Labels.IsEmpty ? null : r.Labels))
                .Map(img => PngText.Insert(PngEncoding.Encode(img),
                    Provenance(r, config, timesteps, $"grid of {r.Samples.Shape.Batch} samples {r.Samples.Shape}")));

    private static Fin<byte[]> EncodeOne(SamplingResult r, SampleSettings s, ValidConfig config, IReadOnlyList<int> timesteps, int i)
    {
        var dims = r.Samples.Shape.Dims.ToArray();
        var per = r.Samples.Count / dims[0];
        dims[0] = 1;
        var one = Tensor<float>.From(Shape.Of(dims), r.Samples.Data.Slice(i * per, per));
        return s.Format == SampleFormat.Npy
            ? FinSucc(Npy.Encode(one))
            : SampleImage.Render(one, 0).Map(img => PngText.Insert(PngEncoding.Encode(img),
                Provenance(r, config, timesteps, $"sample {i} of {r.Samples.Shape.Batch}" + (r.Labels.IsEmpty ? "" : $", label {r.Labels[i]}"))));
    }
}
