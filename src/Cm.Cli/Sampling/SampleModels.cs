using System.Diagnostics.Contracts;
using System.Globalization;
using Cm.Pure.Config;
using Cm.Pure.Errors;
using Cm.Runtime.Models;
using Cm.Runtime.Models.Analytic;
using Cm.Runtime.Models.Onnx;
using Cm.Runtime.Models.Unet;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Cli.Sampling;

/// <summary>A model chosen on the command line, with what the loop needs to know about it.</summary>
/// <param name="Model">The network.</param>
/// <param name="ItemShape">The shape of one sample.</param>
/// <param name="Classes">Number of classes it accepts as labels (0: unconditional only; -1: unknown, e.g. a TorchScript file).</param>
public sealed record LoadedModel(IModel Model, int[] ItemShape, int Classes) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose() => (Model as IDisposable)?.Dispose();
}

/// <summary>The <c>--model</c> option: analytic models by name, a diffusers model folder, or a TorchScript file.</summary>
public static class SampleModels
{
    /// <summary>The default: the exact, unconditional glyph mixture.</summary>
    public const string Default = "analytic:glyphs";

    /// <summary>Default shape for models that accept any.</summary>
    public static readonly int[] DefaultShape = [1, 16, 16];

    /// <summary>The problem with a model path (a folder, or nothing there), or null when it is a file.</summary>
    [Pure]
    public static UsageProblem? ModelPathProblem(string path) =>
        Directory.Exists(path)
            ? null // a folder is read as a diffusers model folder, whose loader names what is missing (model_index.json, unet/, ...)
            : !File.Exists(path)
                ? new UsageProblem($"--model {path}: no such file or folder; --model expects a diffusers model folder (with model_index.json), " +
                                   "a TorchScript file (PATH.pt), an ONNX file (PATH.onnx) or analytic:glyphs, analytic:gaussian, analytic:glyphs-denoiser, analytic:color-glyphs")
                : null;

    /// <summary>Parses <c>--shape</c> ("C,H,W", every size ≥ 1).</summary>
    [Pure]
    public static Fin<int[]> ParseShape(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var dims = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) || dims[i] < 1)
                return FinFail<int[]>(new UsageProblem($"--shape '{text}': give positive integer sizes separated by commas, e.g. 3,64,64"));
        return FinSucc(dims);
    }

    /// <summary>A model folder's scheduler config, the default config of a run with that model (null for other models).</summary>
    public static string? FolderSchedulerConfig(string spec) =>
        Directory.Exists(spec) && File.Exists(ModelFolder.SchedulerConfigOf(spec)) ? ModelFolder.SchedulerConfigOf(spec) : null;

    /// <summary>Loads the model on <paramref name="device"/>.</summary>
    public static Fin<LoadedModel> Load(string spec, string? shape, ValidConfig config, torch.Device device) =>
        Load(spec, shape, config, device, None);

    /// <summary>Loads the model on <paramref name="device"/>; <paramref name="numClasses"/> (<c>--num-classes</c>) says how many classes a TorchScript file takes.</summary>
    public static Fin<LoadedModel> Load(string spec, string? shape, ValidConfig config, torch.Device device, Option<int> numClasses)
    {
        if (numClasses.Exists(n => n < 1))
            return FinFail<LoadedModel>(new UsageProblem($"--num-classes {numClasses.Match(n => n, () => 0)}: give the model's number of classes, at least 1"));
        if (!spec.StartsWith("analytic:", StringComparison.OrdinalIgnoreCase) && ModelPathProblem(spec) is { } problem)
            return FinFail<LoadedModel>(problem);
        var given = shape is null ? FinSucc(Option<int[]>.None) : ParseShape(shape).Map(Some);
        return given.Bind(g =>
        {
            // A diffusers folder knows its own shape and classes; --shape may still ask for another resolution.
            if (Directory.Exists(spec))
                return ModelFolder.Load(spec, device).Map(f => new LoadedModel(f.Model, g.IfNone(f.ItemShape), f.Classes));
            if (spec.StartsWith("analytic:", StringComparison.OrdinalIgnoreCase))
                return AnalyticModels.TryCreate(spec["analytic:".Length..], config, device).Bind(m =>
                {
                    var a = (IAnalyticModel)m;
                    var own = a.SampleShape?.Select(d => (int)d).ToArray();
                    return g.Match(
                        Some: dims => own is not null && !own.SequenceEqual(dims)
                            ? FinFail<LoadedModel>(new UsageProblem(
                                $"--shape {string.Join(",", dims)}: the model {spec} samples shape {string.Join(",", own)}; leave --shape out"))
                            : numClasses.IsSome
                                ? FinFail<LoadedModel>(new UsageProblem($"--num-classes: the model {spec} has {a.ClassCount} classes of its own; leave --num-classes out"))
                                : FinSucc(new LoadedModel(m, dims, a.ClassCount)),
                        None: () => numClasses.IsSome
                            ? FinFail<LoadedModel>(new UsageProblem($"--num-classes: the model {spec} has {a.ClassCount} classes of its own; leave --num-classes out"))
                            : FinSucc(new LoadedModel(m, own ?? DefaultShape, a.ClassCount)));
                });
            return g.Match(
                Some: dims => spec.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
                    ? OnnxModel.Load(spec).Map(m => new LoadedModel(m, dims, m.IsConditional ? numClasses.IfNone(-1) : 0))
                    : TorchScriptModel.Load(spec, device).Map(m => new LoadedModel(m, dims, numClasses.IfNone(-1))),
                None: () => FinFail<LoadedModel>(new UsageProblem(
                    $"--model {spec}: a TorchScript or ONNX file needs --shape C,H,W (the shape of one sample, e.g. 3,64,64); analytic models are named analytic:glyphs, analytic:gaussian or analytic:glyphs-denoiser")));
        });
    }
}

/// <summary>An option value that makes no sense (exit 3).</summary>
public sealed record UsageProblem(string Reason) : CmError(Reason, ErrorKind.InvalidInput, 1301);
