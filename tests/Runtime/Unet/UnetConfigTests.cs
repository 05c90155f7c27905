using System.Text.Json.Nodes;
using Cm.Runtime.Errors;
using Cm.Runtime.Models.Unet;
using Xunit;

namespace Cm.Tests.Unet;

/// <summary>unet/config.json validation: an unsupported value is an error naming the field and the value.</summary>
public sealed class UnetConfigTests
{
    private static JsonObject Golden() =>
        JsonNode.Parse(File.ReadAllText(UnetGolden.Dir("models", "imagenet64_tiny", "config.json")))!.AsObject();

    private static UnsupportedUnetConfig Fails(JsonObject o) =>
        UnetConfigJson.Parse(o.ToJsonString(), "config.json").Match(
            _ => throw new Xunit.Sdk.XunitException("expected the config to be refused"),
            e => Assert.IsType<UnsupportedUnetConfig>(e));

    [Theory]
    [InlineData("down_block_types", """["DownBlock2D","AttnDownBlock2D","AttnDownBlock2D"]""", "\"DownBlock2D\"")]
    [InlineData("up_block_types", """["AttnUpBlock2D","CrossAttnUpBlock2D","ResnetUpsampleBlock2D"]""", "\"CrossAttnUpBlock2D\"")]
    [InlineData("time_embedding_type", "\"fourier\"", "\"fourier\"")]
    [InlineData("resnet_time_scale_shift", "\"spatial\"", "\"spatial\"")]
    [InlineData("act_fn", "\"gelu\"", "\"gelu\"")]
    [InlineData("class_embed_type", "\"timestep\"", "\"timestep\"")]
    [InlineData("downsample_type", "\"conv\"", "\"conv\"")]
    [InlineData("upsample_type", "\"conv\"", "\"conv\"")]
    [InlineData("mid_block_type", "null", "null")]
    [InlineData("norm_num_groups", "5", "5")]
    [InlineData("attention_head_dim", "7", "7")]
    [InlineData("block_out_channels", "[]", "[]")]
    [InlineData("layers_per_block", "0", "0")]
    [InlineData("norm_eps", "-1", "-1")]
    [InlineData("cross_attention_dim", "768", "768")]
    public void An_unsupported_value_names_its_field_and_value(string field, string value, string shown)
    {
        var o = Golden();
        o[field] = JsonNode.Parse(value);
        var e = Fails(o);
        Assert.Equal(field, e.Field);
        Assert.Equal(shown, e.Value);
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void Missing_keys_take_UNet2DModel_defaults_like_older_diffusers_files()
    {
        // attn_norm_num_groups missing with scale_shift: diffusers builds the mid-block attention without GroupNorm.
        var o = Golden();
        o.Remove("attn_norm_num_groups");
        o.Remove("time_embedding_dim");
        o.Remove("dropout");
        var c = UnetConfigJson.Parse(o.ToJsonString(), "config.json").Match(c => c, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(0, c.MidAttentionGroups);
        Assert.Equal(64, c.TimeEmbedDim);
        o["resnet_time_scale_shift"] = "default";
        var d = UnetConfigJson.Parse(o.ToJsonString(), "config.json").Match(c => c, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(8, d.MidAttentionGroups);
    }

    [Fact]
    public void Weights_with_a_mid_attention_GroupNorm_the_config_lacks_get_the_attn_norm_num_groups_hint()
    {
        var dir = Directory.CreateTempSubdirectory("cm-unet-config-").FullName;
        try
        {
            var o = Golden();
            o.Remove("attn_norm_num_groups");
            var config = Path.Combine(dir, "config.json");
            File.WriteAllText(config, o.ToJsonString());
            var e = UnetModel.Load(config, UnetGolden.Dir("models", "imagenet64_tiny", "diffusion_pytorch_model.safetensors"), TorchSharp.torch.CPU)
                .Match(_ => throw new Xunit.Sdk.XunitException("expected a mismatch"), e => Assert.IsType<WeightsMismatch>(e));
            Assert.Contains("mid_block.attentions.0.group_norm.weight", e.Unexpected);
            Assert.Contains("attn_norm_num_groups", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
