using System.Security.Cryptography;
using Cm.Runtime.Errors;
using Cm.Runtime.Models.Safetensors;
using Cm.Runtime.Native;
using LanguageExt;
using TorchSharp;
using TorchSharp.Utils;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// A diffusers <c>UNet2DModel</c> (config.json + safetensors weights) as an <see cref="IModel"/>, run natively by
/// TorchSharp. Identity: <c>unet2d:weights-sha256:&lt;hex&gt;:config-sha256:&lt;hex&gt;</c> (the two files' bytes).
/// Disposing this disposes the network.
/// </summary>
public sealed class UnetModel : IModel, IDisposable
{
    private UnetModel(Unet2DModel network, string identity)
    {
        Network = network;
        Identity = identity;
    }

    /// <summary>The network.</summary>
    public Unet2DModel Network { get; }

    /// <summary>The validated config.</summary>
    public UnetConfig Config => Network.Config;

    /// <inheritdoc/>
    public string Identity { get; }

    /// <summary>The identity string of a weights and a config hash.</summary>
    public static string IdentityOf(string weightsSha256, string configSha256) =>
        $"unet2d:weights-sha256:{weightsSha256}:config-sha256:{configSha256}";

    /// <summary>
    /// Builds the network of <paramref name="configPath"/> on <paramref name="device"/> and loads
    /// <paramref name="weightsPath"/> strictly (every tensor, by name and shape). A <c>.bin</c> pickle gets
    /// <see cref="PickleCheckpoint"/>.
    /// </summary>
    public static Fin<UnetModel> Load(string configPath, string weightsPath, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return from bytes in UnetConfigJson.ReadBytes(configPath)
               from config in UnetConfigJson.Parse(System.Text.Encoding.UTF8.GetString(bytes), configPath)
               from native in TorchNative.EnsureLoaded()
               from model in Build(config, weightsPath, device, Convert.ToHexStringLower(SHA256.HashData(bytes)))
               select model;
    }

    private static Fin<UnetModel> Build(UnetConfig config, string weightsPath, torch.Device device, string configHash)
    {
        var ext = Path.GetExtension(weightsPath);
        if (ext is ".bin" or ".pt" or ".pth" or ".ckpt") return FinFail<UnetModel>(new PickleCheckpoint(weightsPath));
        var network = new Unet2DModel(config, device);
        network.eval();
        return SafetensorsLoader.LoadInto(network, weightsPath, unexpected => Hint(config, unexpected)).Match(
            Succ: hash => FinSucc(new UnetModel(network, IdentityOf(hash, configHash))),
            Fail: e =>
            {
                network.Dispose();
                return FinFail<UnetModel>(e);
            });
    }

    // diffusers PR #4863: with scale_shift and attn_norm_num_groups null, diffusers builds the mid-block attention
    // without GroupNorm and silently drops the file's weights; the ImageNet-64 checkpoints need 32 groups there.
    private static string Hint(UnetConfig config, Arr<string> unexpected) =>
        config.MidAttentionGroups == 0 && unexpected.Exists(n => n.StartsWith("mid_block.attentions.0.group_norm.", StringComparison.Ordinal))
            ? "The file has a GroupNorm in the mid-block attention, but the config builds none (attn_norm_num_groups is null with " +
              "resnet_time_scale_shift \"scale_shift\"). diffusers would ignore these weights and compute a different network; " +
              "set \"attn_norm_num_groups\" in unet/config.json (32 for the ImageNet-64 consistency checkpoints)."
            : "";

    /// <inheritdoc/>
    public torch.Tensor Forward(torch.Tensor scaledSample, double timestep, torch.Tensor? classLabels)
    {
        ArgumentNullException.ThrowIfNull(scaledSample);
        CheckInputs(scaledSample, classLabels);
        using var t = ModelConvention.TimestepTensor(scaledSample, timestep);
        using var noGrad = torch.no_grad();
        return ModelConvention.CheckOutput(Identity, scaledSample, Network.call(scaledSample, t, classLabels));
    }

    private void CheckInputs(torch.Tensor x, torch.Tensor? labels)
    {
        var c = Config;
        if (x.dim() != 4 || x.shape[1] != c.InChannels)
            throw new ModelCallException(Identity, $"The UNet takes samples [N, {c.InChannels}, H, W]; got [{string.Join(", ", x.shape)}].");
        if (x.shape[2] % c.SizeMultiple != 0 || x.shape[3] % c.SizeMultiple != 0)
            throw new ModelCallException(Identity,
                $"The UNet halves the resolution {c.Levels - 1} times: H and W must be multiples of {c.SizeMultiple}; got {x.shape[2]}x{x.shape[3]}.");
        if (c.InChannels != c.OutChannels)
            throw new ModelCallException(Identity, $"A consistency model returns the sample's shape; this UNet maps {c.InChannels} to {c.OutChannels} channels.");
        if (c.ClassCount > 0 && labels is null)
            throw new ModelCallException(Identity, $"The UNet is class-conditional ({c.ClassCount} classes): give class labels (e.g. --class-labels random).");
        if (c.ClassCount == 0 && labels is not null)
            throw new ModelCallException(Identity, "The UNet is unconditional: it takes no class labels.");
        if (labels is not null)
        {
            using var max = labels.max();
            using var min = labels.min();
            if (min.item<long>() < 0 || max.item<long>() >= c.ClassCount)
                throw new ModelCallException(Identity, $"Class labels must be in 0..{c.ClassCount - 1}; got {min.item<long>()}..{max.item<long>()}.");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Network.Dispose();
}
