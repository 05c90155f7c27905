namespace Cm.Benchmarks;

/// <summary>
/// The files scripts/unet-torchscript/make.sh writes (diffusers' own UNet2DModel, full-size ImageNet-64 config,
/// random weights): a diffusers model folder and the same network as a TorchScript file in Cm's calling
/// convention. Gitignored, about 3.6 GB; <c>CM_UNET_ARTIFACTS</c> points elsewhere.
/// </summary>
internal static class UnetArtifacts
{
    /// <summary>Environment variable naming another artifact folder.</summary>
    public const string FolderVariable = "CM_UNET_ARTIFACTS";

    /// <summary>The artifact folder.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } f
            ? Path.GetFullPath(f)
            : Path.Combine(Repository.Root(), "benchmarks", "artifacts", "unet-imagenet64");

    /// <summary>diffusers' config.json.</summary>
    public static string Config => Path.Combine(Folder, "config.json");

    /// <summary>The F32 weights, diffusers' parameter names (diffusers' save_pretrained).</summary>
    public static string Weights => Path.Combine(Folder, "diffusion_pytorch_model.safetensors");

    /// <summary>The same weights as F16 (save_pretrained(variant="fp16")).</summary>
    public static string Fp16Weights => Path.Combine(Folder, "diffusion_pytorch_model.fp16.safetensors");

    /// <summary>The TorchScript file, forward(x, t, class_labels).</summary>
    public static string TorchScript => Path.Combine(Folder, "unet-cm.pt");

    /// <summary>Whether the config, the F32 weights and the TorchScript file are all there.</summary>
    public static bool Present => File.Exists(Config) && File.Exists(Weights) && File.Exists(TorchScript);

    /// <summary>What is missing and how to make it, for the console.</summary>
    public static string HowToMake() =>
        $"""
        ************************************************************************************************
        UNet benchmark artifacts missing in {Folder}
          {(File.Exists(Config) ? "found  " : "MISSING")} config.json
          {(File.Exists(Weights) ? "found  " : "MISSING")} diffusion_pytorch_model.safetensors
          {(File.Exists(TorchScript) ? "found  " : "MISSING")} unet-cm.pt
        Without them the native module runs with random weights and the TorchScript comparison
        (UnetForward.TorchScriptForward) is NOT run. Make them (diffusers' own UNet2DModel, no PyPI,
        ~10 minutes, ~3.6 GB, gitignored) with
            scripts/unet-torchscript/make.sh
        or point {FolderVariable} at a folder that has them. See docs/performance.md, "UNet2DModel".
        ************************************************************************************************
        """;
}
