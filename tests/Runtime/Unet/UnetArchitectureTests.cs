using Cm.Runtime.Models.Unet;
using Cm.Tests.Golden;
using Cm.Tests.Runtime;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Unet;

/// <summary>
/// The full-size consistency-model networks (ImageNet-64: 295,899,267 parameters; LSUN-256: 526,304,771 — golden
/// README, "Configs") built from their configs with no download: key set, every shape and the parameter count.
/// The expected key set comes from <see cref="ExpectedParameters"/>, written from the README's naming rules and
/// first checked against diffusers' own parameter lists of every golden config.
/// </summary>
public sealed class UnetArchitectureTests
{
    private const string ImageNet64 = """
        {"_class_name": "UNet2DModel", "sample_size": 64, "in_channels": 3, "out_channels": 3, "layers_per_block": 3,
         "num_class_embeds": 1000, "block_out_channels": [192, 384, 576, 768], "attention_head_dim": 64,
         "down_block_types": ["ResnetDownsampleBlock2D", "AttnDownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"],
         "up_block_types": ["AttnUpBlock2D", "AttnUpBlock2D", "AttnUpBlock2D", "ResnetUpsampleBlock2D"],
         "resnet_time_scale_shift": "scale_shift", "attn_norm_num_groups": 32, "upsample_type": "resnet", "downsample_type": "resnet"}
        """;

    private const string Lsun256 = """
        {"_class_name": "UNet2DModel", "sample_size": 256, "in_channels": 3, "out_channels": 3, "layers_per_block": 2,
         "num_class_embeds": null, "block_out_channels": [256, 256, 512, 512, 1024, 1024], "attention_head_dim": 64,
         "down_block_types": ["ResnetDownsampleBlock2D", "ResnetDownsampleBlock2D", "ResnetDownsampleBlock2D", "AttnDownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"],
         "up_block_types": ["AttnUpBlock2D", "AttnUpBlock2D", "AttnUpBlock2D", "ResnetUpsampleBlock2D", "ResnetUpsampleBlock2D", "ResnetUpsampleBlock2D"],
         "resnet_time_scale_shift": "default", "upsample_type": "resnet", "downsample_type": "resnet"}
        """;

    public static TheoryData<string> GoldenConfigs() => GoldenFiles.Rows(
        UnetGolden.ForwardFiles().Select(f => (string)GoldenFiles.Load("unet", f)["config_json_file"]!)
            .Append("pipelines/diffusers-cd_tiny_cond/unet/config.json"));

    [Theory]
    [MemberData(nameof(GoldenConfigs))]
    public void The_expected_key_rules_reproduce_diffusers_parameter_lists(string configFile)
    {
        var config = UnetConfigJson.Load(UnetGolden.Dir(configFile)).Match(c => c, e => throw new Xunit.Sdk.XunitException(e.Message));
        var json = configFile.StartsWith("pipelines", StringComparison.Ordinal)
            ? null
            : GoldenFiles.Load("unet", UnetGolden.ForwardFiles().First(f => (string)GoldenFiles.Load("unet", f)["config_json_file"]! == configFile));
        var expected = ExpectedParameters.Of(config).Select(p => p.Text).Order(StringComparer.Ordinal).ToArray();
        if (json is not null)
        {
            var diffusers = json["parameters"]!.AsArray()
                .Select(p => $"{p![0]} [{string.Join(", ", p[1]!.AsArray().Select(d => (long)d!))}]").Order(StringComparer.Ordinal);
            Assert.Equal(diffusers, expected);
        }
        RuntimeFixtures.RequireTorch();
        using var network = new Unet2DModel(config, Meta);
        Assert.Equal(expected, Keys(network));
    }

    [Theory]
    [InlineData("imagenet64", 295_899_267L)]
    [InlineData("lsun256", 526_304_771L)]
    public void Full_size_networks_have_diffusers_keys_shapes_and_parameter_counts(string which, long parameters)
    {
        RuntimeFixtures.RequireTorch();
        var config = UnetConfigJson.Parse(which == "imagenet64" ? ImageNet64 : Lsun256, which)
            .Match(c => c, e => throw new Xunit.Sdk.XunitException(e.Message));
        var expected = ExpectedParameters.Of(config).ToArray();
        Assert.Equal(parameters, expected.Sum(p => p.Shape.Aggregate(1L, (a, d) => a * d)));
        using var network = new Unet2DModel(config, Meta);
        Assert.Equal(expected.Select(p => p.Text).Order(StringComparer.Ordinal), Keys(network));
        Assert.Equal(parameters, network.parameters().Sum(p => p.numel()));
    }

    // The meta device allocates no memory: the full-size networks are built in milliseconds, without 3 GB of weights.
    private static torch.Device Meta => new(DeviceType.META);

    private static string[] Keys(Unet2DModel network) =>
        network.state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]").Order(StringComparer.Ordinal).ToArray();
}

/// <summary>
/// diffusers' UNet2DModel parameter names and shapes from the golden README ("Weight files", "The forward
/// computation"), independent of Cm's module code.
/// </summary>
public static class ExpectedParameters
{
    public sealed record Parameter(string Name, long[] Shape)
    {
        public string Text => $"{Name} [{string.Join(", ", Shape)}]";
    }

    public static IEnumerable<Parameter> Of(UnetConfig c)
    {
        var ch = c.Channels;
        var c0 = ch[0];
        var t = c.TimeEmbedDim;
        var levels = ch.Length;
        var list = new List<Parameter>();
        void P(string name, params long[] shape) => list.Add(new Parameter(name, shape));
        void Norm(string p, long n) { P(p + ".weight", n); P(p + ".bias", n); }
        void Lin(string p, long o, long i) { P(p + ".weight", o, i); P(p + ".bias", o); }
        void Conv(string p, long o, long i, long k) { P(p + ".weight", o, i, k, k); P(p + ".bias", o); }
        void Resnet(string p, long i, long o)
        {
            Norm(p + ".norm1", i);
            Conv(p + ".conv1", o, i, 3);
            Lin(p + ".time_emb_proj", c.Shift == TimeShift.ScaleShift ? 2 * o : o, t);
            Norm(p + ".norm2", o);
            Conv(p + ".conv2", o, o, 3);
            if (i != o) Conv(p + ".conv_shortcut", o, i, 1);
        }
        void Attn(string p, long n, bool groupNorm)
        {
            if (groupNorm) Norm(p + ".group_norm", n);
            foreach (var l in new[] { "to_q", "to_k", "to_v", "to_out.0" }) Lin($"{p}.{l}", n, n);
        }

        Conv("conv_in", c0, c.InChannels, 3);
        Lin("time_embedding.linear_1", t, c0);
        Lin("time_embedding.linear_2", t, t);
        if (c.ClassCount > 0) P("class_embedding.weight", c.ClassCount, t);
        for (var i = 0; i < levels; i++)
        {
            var input = i == 0 ? c0 : ch[i - 1];
            for (var j = 0; j < c.LayersPerBlock; j++)
            {
                Resnet($"down_blocks.{i}.resnets.{j}", j == 0 ? input : ch[i], ch[i]);
                if (c.Down[i] == DownBlockKind.Attention) Attn($"down_blocks.{i}.attentions.{j}", ch[i], true);
            }
            if (i < levels - 1) Resnet($"down_blocks.{i}.downsamplers.0", ch[i], ch[i]);
        }
        Resnet("mid_block.resnets.0", ch[^1], ch[^1]);
        Resnet("mid_block.resnets.1", ch[^1], ch[^1]);
        if (c.MidAttention) Attn("mid_block.attentions.0", ch[^1], c.MidAttentionGroups > 0);
        var rev = ch.Reverse().ToArray();
        for (var i = 0; i < levels; i++)
        {
            var output = rev[i];
            var previous = i == 0 ? rev[0] : rev[i - 1];
            var skipIn = rev[Math.Min(i + 1, levels - 1)];
            for (var j = 0; j <= c.LayersPerBlock; j++)
            {
                var concat = (j == 0 ? previous : output) + (j == c.LayersPerBlock ? skipIn : output);
                Resnet($"up_blocks.{i}.resnets.{j}", concat, output);
                if (c.Up[i] == UpBlockKind.Attention) Attn($"up_blocks.{i}.attentions.{j}", output, true);
            }
            if (i < levels - 1) Resnet($"up_blocks.{i}.upsamplers.0", output, output);
        }
        Norm("conv_norm_out", c0);
        Conv("conv_out", c.OutChannels, c0, 3);
        return list;
    }
}
