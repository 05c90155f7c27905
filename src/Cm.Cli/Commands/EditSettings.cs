using System.ComponentModel;
using Cm.Cli.Options;
using Cm.Cli.Sampling;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm edit inpaint|colorize|superres</c>.</summary>
public sealed class EditSettings : ScheduleSettings, IOutputSettings
{
    /// <summary>Default model of edits: the embedded colour glyphs.</summary>
    public const string DefaultModel = "analytic:color-glyphs";

    /// <summary>The reference image.</summary>
    [CommandOption("-i|--image <PNG>")]
    [Description("The reference image (PNG, 8-bit gray or RGB, the model's size; nothing is resized). Required.")]
    public string? Image { get; init; }

    /// <summary>Inpainting mask file.</summary>
    [CommandOption("--mask <PNG>")]
    [Description("inpaint: a mask of the image's size, white (>= 128) = keep the reference, black = generate.")]
    public string? Mask { get; init; }

    /// <summary>Inpainting rectangle.</summary>
    [CommandOption("--rect <X,Y,W,H>")]
    [Description("inpaint: generate this rectangle (column, row, width, height in pixels) and keep the rest.")]
    public string? Rect { get; init; }

    /// <summary>Super-resolution patch size.</summary>
    [CommandOption("--patch <K>")]
    [Description("superres: the reference is known as the means of KxK patches (default 8, openai's); the image must be square with a side divisible by K.")]
    public int? Patch { get; init; }

    /// <summary>The model.</summary>
    [CommandOption("-m|--model <MODEL>")]
    [Description("analytic:color-glyphs (default: exact, RGB 16x16), analytic:glyphs (gray 16x16), or a TorchScript file PATH.pt (forward(x, t, class_labels)) run at the image's size.")]
    [DefaultValue(DefaultModel)]
    public string Model { get; init; } = DefaultModel;

    /// <summary>Channels of a TorchScript model.</summary>
    [CommandOption("--channels <C>")]
    [Description("Channels of a TorchScript model (default 3); analytic models have their own.")]
    public int? Channels { get; init; }

    /// <summary>The seed.</summary>
    [CommandOption("-s|--seed <SEED>")]
    [Description("Seed of the noise, 0..18446744073709551615.")]
    [DefaultValue(0UL)]
    public ulong Seed { get; init; }

    /// <summary>The generator.</summary>
    [CommandOption("--noise <KIND>")]
    [Description("torch (default: PyTorch's CPU generator, bit for bit) or philox.")]
    [DefaultValue(NoiseOption.Torch)]
    public NoiseOption Noise { get; init; } = NoiseOption.Torch;

    /// <summary>The device.</summary>
    [CommandOption("-d|--device <DEVICE>")]
    [Description("auto (default: CUDA when present), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";

    /// <summary>Output path.</summary>
    [CommandOption("-o|--out <FILE>")]
    [Description("Output PNG (default edit.png): reference, processed reference and result side by side.")]
    public string? Out { get; init; }

    /// <summary>Audit trace path.</summary>
    [CommandOption("--trace <FILE>")]
    [Description("Also write an audit trace of the edit (JSON Lines, docs/trace-format.md): the header names the task, the replacement and the reference and mask by SHA-256; cm verify checks it step by step.")]
    public string? Trace { get; init; }

    /// <summary>Inline tensors in the trace.</summary>
    [CommandOption("--trace-tensors")]
    [Description("Put the reference, the mask and every step's tensors in the trace (base64 float32), so cm verify recomputes each step, replacement included, bit for bit.")]
    public bool TraceTensors { get; init; }

    /// <summary>Signing key.</summary>
    [CommandOption("--sign <KEY>")]
    [Description("Sign the edit: after it, verify the trace and write a signed attestation naming the trace and the output PNG to TRACE.intoto.json. Needs --trace. KEY from cm key generate.")]
    public string? Sign { get; init; }

    /// <summary>No progress bar.</summary>
    [CommandOption("-q|--quiet")]
    [Description("No progress bar (it is also off when stderr is not a terminal).")]
    public bool Quiet { get; init; }

    /// <inheritdoc/>
    [CommandOption("--force")]
    [Description(OutputSettings.ForceDescription)]
    public bool Force { get; init; }
}
