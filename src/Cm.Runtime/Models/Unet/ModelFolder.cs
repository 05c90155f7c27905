using System.Text.Json;
using System.Text.Json.Nodes;
using Cm.Runtime.Configs;
using Cm.Runtime.Errors;
using LanguageExt;
using TorchSharp;
using TorchSharp.Utils;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// A diffusers consistency-model folder (<c>openai/diffusers-cd_imagenet64_l2</c> and its siblings), loaded:
/// <c>model_index.json</c> must name ConsistencyModelPipeline with a UNet2DModel and a CMStochasticIterativeScheduler;
/// the network comes from <c>unet/</c>, the scheduler config from <c>scheduler/scheduler_config.json</c>, the sample
/// shape from <c>sample_size</c>/<c>in_channels</c> and the class count from <c>num_class_embeds</c>.
/// Disposing this disposes the network.
/// </summary>
/// <param name="Folder">The folder's full path.</param>
/// <param name="Model">The network (identity: SHA-256 of the weights and of the config).</param>
/// <param name="Scheduler">The folder's scheduler config, validated.</param>
/// <param name="SchedulerConfigPath">Where it was read (to apply command-line overrides on top).</param>
/// <param name="ItemShape">The shape of one sample, <c>[in_channels, H, W]</c>.</param>
/// <param name="Classes">num_class_embeds, 0 for unconditional models.</param>
public sealed record ModelFolder(
    string Folder, UnetModel Model, LoadedConfig Scheduler, string SchedulerConfigPath, int[] ItemShape, int Classes) : IDisposable
{
    /// <summary>The pipeline class Cm samples.</summary>
    public const string PipelineClass = "ConsistencyModelPipeline";

    /// <summary>The weights file diffusers' <c>save_pretrained</c> writes.</summary>
    public const string WeightsFile = "diffusion_pytorch_model.safetensors";

    /// <summary>The model identity recorded in traces.</summary>
    public string Identity => Model.Identity;

    /// <summary>Whether <paramref name="path"/> looks like a model folder (a directory with model_index.json).</summary>
    public static bool IsModelFolder(string path) => Directory.Exists(path) && File.Exists(Path.Combine(path, "model_index.json"));

    /// <summary>The scheduler config path of a folder (for the CLI, which reads it with its overrides).</summary>
    public static string SchedulerConfigOf(string folder) => Path.Combine(folder, "scheduler", DiffusersConfigFile.DefaultFileName);

    /// <summary>Loads and checks the whole folder; the network goes to <paramref name="device"/>.</summary>
    public static Fin<ModelFolder> Load(string folder, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var dir = Path.GetFullPath(folder);
        if (!Directory.Exists(dir)) return FinFail<ModelFolder>(new InvalidModelFolder(dir, "no such folder"));
        var schedulerPath = SchedulerConfigOf(dir);
        return from index in CheckIndex(dir)
               from weights in WeightsPath(dir)
               from scheduler in DiffusersConfigFile.Load(schedulerPath)
               from model in UnetModel.Load(Path.Combine(dir, "unet", "config.json"), weights, device)
               from shape in Shape(dir, model)
               select new ModelFolder(dir, model, scheduler, schedulerPath, shape, model.Config.ClassCount);
    }

    private static Fin<int[]> Shape(string dir, UnetModel model)
    {
        var c = model.Config;
        if (c.SampleHeight == 0)
        {
            model.Dispose();
            return FinFail<int[]>(new InvalidModelFolder(dir, "unet/config.json has no sample_size, so the sample shape is unknown; give it (cm sample --shape C,H,W)"));
        }
        return FinSucc(new[] { c.InChannels, c.SampleHeight, c.SampleWidth });
    }

    private static Fin<string> WeightsPath(string dir)
    {
        var unet = Path.Combine(dir, "unet");
        var full = Path.Combine(unet, WeightsFile);
        if (File.Exists(full)) return FinSucc(full);
        var half = Path.Combine(unet, "diffusion_pytorch_model.fp16.safetensors");
        if (File.Exists(half)) return FinSucc(half);
        var pickle = Path.Combine(unet, "diffusion_pytorch_model.bin");
        if (File.Exists(pickle)) return FinFail<string>(new PickleCheckpoint(pickle));
        return FinFail<string>(new InvalidModelFolder(dir, $"unet/{WeightsFile} is missing; download it from the model's Hub repository"));
    }

    private static Fin<Unit> CheckIndex(string dir)
    {
        var path = Path.Combine(dir, "model_index.json");
        JsonObject? root;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return FinFail<Unit>(new InvalidModelFolder(dir, "model_index.json is missing; is this a diffusers model folder?"));
            if (info.Length > UnetConfigJson.MaxBytes) return FinFail<Unit>(new InvalidModelFolder(dir, $"model_index.json has {info.Length} bytes; not a diffusers index"));
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (JsonException e)
        {
            return FinFail<Unit>(new InvalidModelFolder(dir, "model_index.json is not JSON: " + e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<Unit>(new FileUnreadable(path, e.Message));
        }
        if (root is null) return FinFail<Unit>(new InvalidModelFolder(dir, "model_index.json is not a JSON object"));
        var cls = root["_class_name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "(none)";
        if (cls != PipelineClass) return FinFail<Unit>(new UnsupportedPipeline(dir, cls));
        return from unet in Component(dir, root, "unet", "UNet2DModel")
               from scheduler in Component(dir, root, "scheduler", "CMStochasticIterativeScheduler")
               select unit;
    }

    private static Fin<Unit> Component(string dir, JsonObject root, string key, string cls) =>
        root[key] is JsonArray { Count: 2 } a && a[1] is JsonValue v && v.TryGetValue<string>(out var s) && s == cls
            ? FinSucc(unit)
            : FinFail<Unit>(new InvalidModelFolder(dir, $"model_index.json: \"{key}\" is {root[key]?.ToJsonString() ?? "missing"}; a consistency-model folder has [\"diffusers\", \"{cls}\"]"));

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();
}
