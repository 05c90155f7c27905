using System.ComponentModel;
using Cm.Cli.Options;
using Cm.Cli.Sampling;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm sample</c>: model, config and schedule, noise, batch, labels, device and outputs.</summary>
public sealed class SampleSettings : ScheduleSettings, IOutputSettings
{
    /// <summary>The model.</summary>
    [CommandOption("-m|--model <MODEL>")]
    [Description("analytic:glyphs (default: exact, unconditional), analytic:gaussian, analytic:glyphs-denoiser, a diffusers model FOLDER (e.g. diffusers-cd_imagenet64_l2: its scheduler config, shape and classes are used; see docs/models.md), or a TorchScript file PATH.pt (forward(x, t, class_labels)).")]
    [DefaultValue(SampleModels.Default)]
    public string Model { get; init; } = SampleModels.Default;

    /// <summary>The seed.</summary>
    [CommandOption("-s|--seed <SEED>")]
    [Description("Seed of the noise (and of drawn class labels), 0..18446744073709551615.")]
    [DefaultValue(0UL)]
    public ulong Seed { get; init; }

    /// <summary>The generator.</summary>
    [CommandOption("--noise <KIND>")]
    [Description("torch (default: PyTorch's CPU generator, bit for bit) or philox (the same sample whatever the batch size).")]
    public NoiseOption Noise { get; init; } = NoiseOption.Torch;

    /// <summary>Number of samples.</summary>
    [CommandOption("-b|--batch <N>")]
    [Description("Number of samples (default 16).")]
    [DefaultValue(16)]
    public int Batch { get; init; } = 16;

    /// <summary>Class labels.</summary>
    [CommandOption("--class-labels <LABELS>")]
    [Description("Comma-separated class labels, one per sample, or 'random' to draw them from the seed. Only for class-conditional models; default unconditional.")]
    public string? ClassLabels { get; init; }

    /// <summary>Sample shape for models that do not fix it.</summary>
    [CommandOption("--shape <C,H,W>")]
    [Description("Shape of one sample, e.g. 3,64,64. Required for TorchScript files; analytic models have their own (glyphs 1,16,16; gaussian any, default 1,16,16).")]
    public string? Shape { get; init; }

    /// <summary>The device.</summary>
    [CommandOption("-d|--device <DEVICE>")]
    [Description("auto (default: CUDA when present), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";

    /// <summary>Output path.</summary>
    [CommandOption("-o|--out <FILE>")]
    [Description("Output file, or - for stdout. Default samples.png (samples.npy with --format npy), or samples-2.png, samples-3.png, ... when taken: the default never replaces a file; an explicit --out needs --force to.")]
    public string? Out { get; init; }

    /// <summary>Output format.</summary>
    [CommandOption("-f|--format <FORMAT>")]
    [Description("png (default: a labelled grid) or npy (the raw float32 samples, shape [[B, C, H, W]]; clamped to [[-1, 1]] before the last step adds its tiny noise, so values can exceed 1 in magnitude by a few millionths, e.g. 1.0000025).")]
    public SampleFormat Format { get; init; } = SampleFormat.Png;

    /// <summary>Audit trace path.</summary>
    [CommandOption("--trace <FILE>")]
    [Description("Also write an audit trace (JSON Lines, docs/trace-format.md) that cm verify can check step by step.")]
    public string? Trace { get; init; }

    /// <summary>Inline tensors in the trace.</summary>
    [CommandOption("--trace-tensors")]
    [Description("Put every step's tensors in the trace (base64 float32), so cm verify recomputes each step bit for bit and cm replay can rerun it.")]
    public bool TraceTensors { get; init; }

    /// <summary>Signing key.</summary>
    [CommandOption("--sign <KEY>")]
    [Description("Sign the run: after it, verify the trace and write a signed attestation (in-toto, DSSE, Ed25519) naming the trace and the samples to TRACE.intoto.json. Needs --trace. KEY from cm key generate.")]
    public string? Sign { get; init; }

    /// <summary>No progress bar.</summary>
    [CommandOption("-q|--quiet")]
    [Description("No progress display (same as --progress none).")]
    public bool Quiet { get; init; }

    /// <summary>Samples of the whole run (computed in batches of --batch).</summary>
    [CommandOption("--samples <N>")]
    [Description("Samples of the whole run, computed in batches of --batch (philox noise: any batch size gives the same bytes). With --shard, the size of the run being split. Default: one batch of --batch samples.")]
    public long? Samples { get; init; }

    /// <summary>Which shard of the run this process computes.</summary>
    [CommandOption("--shard <K/S|auto>")]
    [Description("Compute shard K of S of a --samples N run, samples [[floor(K*N/S), floor((K+1)*N/S)), into --shard-dir: shard-K.npy, one trace per batch and manifest-K.json for cm merge. 'auto' reads Slurm array, Kubernetes Indexed Job, Open MPI or PMI variables (docs/scale-out.md). Needs --noise philox.")]
    public string? Shard { get; init; }

    /// <summary>Number of shards, for engines that do not export it.</summary>
    [CommandOption("--shards <S>")]
    [Description("Number of shards for --shard auto where the engine does not say (Kubernetes: the Job's completions); must agree with the engine where it does.")]
    public int? Shards { get; init; }

    /// <summary>Folder of a shard's files.</summary>
    [CommandOption("--shard-dir <DIR>")]
    [Description("Folder for a shard's files (default: the current folder; created if missing).")]
    public string? ShardDir { get; init; }

    /// <inheritdoc/>
    [CommandOption("--force")]
    [Description(OutputSettings.ForceDescription)]
    public bool Force { get; init; }

    /// <summary>libtorch intra-op threads.</summary>
    [CommandOption("--threads <N>")]
    [Description("libtorch intra-op (OpenMP) threads, 1 to 1024. Default 1 (fastest for Cm's small tensors, and on busy machines), or libtorch's own choice when OMP_NUM_THREADS is set. docs/performance.md.")]
    public string? Threads { get; init; }

    /// <summary>Classes of a TorchScript model.</summary>
    [CommandOption("--num-classes <N>")]
    [Description("Number of classes of a class-conditional TorchScript model (a .pt file does not say), so --class-labels random can draw labels 0..N-1 and given labels are checked.")]
    public int? NumClasses { get; init; }

    /// <summary>Progress display.</summary>
    [CommandOption("--progress <MODE>")]
    [Description("auto (default: a bar with step i/n, elapsed time, rate and ETA when stderr is a terminal, else nothing), bar, plain (one line per step on stderr, for CI logs) or none.")]
    public ProgressMode Progress { get; init; } = ProgressMode.Auto;

    /// <summary>JSON summary.</summary>
    [CommandOption("--json")]
    [Description("Print the summary as JSON on stdout (paths, SHA-256, timings; schema cm-sample/1 in docs/cli.md) instead of the paths.")]
    public bool Json { get; init; }

    /// <summary>One file per sample.</summary>
    [CommandOption("--per-sample")]
    [Description("Write one file per sample (FILE-000.png, FILE-001.png, ... at the sample's own resolution; or .npy) instead of one grid or array.")]
    public bool PerSample { get; init; }
}
