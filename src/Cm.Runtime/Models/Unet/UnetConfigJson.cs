using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cm.Runtime.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Models.Unet;

/// <summary>
/// The one home of <c>unet/config.json</c> (diffusers' <c>UNet2DModel</c> config): parse once, validate every
/// field, and return a <see cref="UnetConfig"/> or the first field Cm cannot build. A missing key takes
/// <c>UNet2DModel.__init__</c>'s default (older diffusers versions wrote fewer keys); an unknown key is an error,
/// because it may change the network.
/// </summary>
public static class UnetConfigJson
{
    /// <summary>The largest config file read (a real one is ~1.5 kB).</summary>
    public const int MaxBytes = 1 << 20;

    // Keys diffusers writes that do not describe the network.
    private static readonly System.Collections.Generic.HashSet<string> Meta = ["_class_name", "_diffusers_version", "_name_or_path", "_use_default_values"];

    // Every UNet2DModel.__init__ argument Cm reads, with diffusers' default (as JSON).
    private static readonly ImmutableDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        ["sample_size"] = "null", ["in_channels"] = "3", ["out_channels"] = "3", ["center_input_sample"] = "false",
        ["time_embedding_type"] = "\"positional\"", ["time_embedding_dim"] = "null", ["freq_shift"] = "0",
        ["flip_sin_to_cos"] = "true",
        ["down_block_types"] = "[\"DownBlock2D\",\"AttnDownBlock2D\",\"AttnDownBlock2D\",\"AttnDownBlock2D\"]",
        ["mid_block_type"] = "\"UNetMidBlock2D\"",
        ["up_block_types"] = "[\"AttnUpBlock2D\",\"AttnUpBlock2D\",\"AttnUpBlock2D\",\"UpBlock2D\"]",
        ["block_out_channels"] = "[224,448,672,896]", ["layers_per_block"] = "2", ["mid_block_scale_factor"] = "1",
        ["downsample_padding"] = "1", ["downsample_type"] = "\"conv\"", ["upsample_type"] = "\"conv\"",
        ["dropout"] = "0.0", ["act_fn"] = "\"silu\"", ["attention_head_dim"] = "8", ["norm_num_groups"] = "32",
        ["attn_norm_num_groups"] = "null", ["norm_eps"] = "1e-05", ["resnet_time_scale_shift"] = "\"default\"",
        ["add_attention"] = "true", ["class_embed_type"] = "null", ["num_class_embeds"] = "null",
        ["num_train_timesteps"] = "null",
    }.ToImmutableDictionary();

    /// <summary>Reads and parses a config file (bounded read).</summary>
    public static Fin<UnetConfig> Load(string path) => ReadBytes(path).Bind(bytes => Parse(System.Text.Encoding.UTF8.GetString(bytes), path));

    /// <summary>The bytes of a config file, at most <see cref="MaxBytes"/> (hashed for the model identity, then parsed).</summary>
    public static Fin<byte[]> ReadBytes(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return FinFail<byte[]>(new FileUnreadable(path, "no such file; a diffusers model folder has unet/config.json"));
            if (info.Length > MaxBytes) return FinFail<byte[]>(new UnsupportedUnetConfig(path, "(file)", $"{info.Length} bytes", $"larger than {MaxBytes} bytes; not a UNet2DModel config"));
            return FinSucc(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<byte[]>(new FileUnreadable(path, e.Message));
        }
    }

    /// <summary>Parses config text; <paramref name="path"/> only names the source in errors.</summary>
    public static Fin<UnetConfig> Parse(string text, string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(text) as JsonObject
                   ?? throw new JsonException("the top level is not an object");
        }
        catch (JsonException e)
        {
            return FinFail<UnetConfig>(new UnsupportedUnetConfig(path, "(file)", "not JSON", e.Message));
        }
        return new Reader(root, path).Read();
    }

    private sealed class Reader(JsonObject root, string path)
    {
        private Exception Bad(string field, JsonNode? value, string reason) =>
            new FieldException(new UnsupportedUnetConfig(path, field, Show(value), reason));

        private static string Show(JsonNode? v) => v is null ? "null" : v.ToJsonString();

        private JsonNode? Get(string key) => root.TryGetPropertyValue(key, out var v) ? v : JsonNode.Parse(Defaults[key]);

        private int Int(string key, int min, bool nullable = false, int ifNull = 0)
        {
            var v = Get(key);
            if (v is null)
                return nullable ? ifNull : throw Bad(key, v, "must be an integer");
            if (v is JsonValue jv && jv.TryGetValue<double>(out var d) && d == Math.Floor(d) && d >= min && d <= int.MaxValue)
                return (int)d;
            throw Bad(key, v, $"must be an integer ≥ {min}");
        }

        private double Number(string key, Func<double, bool> ok, string rule)
        {
            var v = Get(key);
            if (v is JsonValue jv && jv.TryGetValue<double>(out var d) && ok(d)) return d;
            throw Bad(key, v, rule);
        }

        private bool Bool(string key)
        {
            var v = Get(key);
            if (v is JsonValue jv && jv.TryGetValue<bool>(out var b)) return b;
            throw Bad(key, v, "must be true or false");
        }

        private string? Str(string key)
        {
            var v = Get(key);
            if (v is null) return null;
            if (v is JsonValue jv && jv.TryGetValue<string>(out var s)) return s;
            throw Bad(key, v, "must be a string");
        }

        private ImmutableArray<string> Strings(string key)
        {
            if (Get(key) is JsonArray a && a.All(x => x is JsonValue jv && jv.TryGetValue<string>(out _)))
                return [.. a.Select(x => (string)x!)];
            throw Bad(key, Get(key), "must be a list of block type names");
        }

        private void Expect(string key, string wanted, string reason)
        {
            var s = Str(key);
            if (s != wanted) throw Bad(key, Get(key), reason);
        }

        public Fin<UnetConfig> Read()
        {
            try
            {
                return FinSucc(Build());
            }
            catch (FieldException e)
            {
                return FinFail<UnetConfig>(e.Error);
            }
        }

        private UnetConfig Build()
        {
            foreach (var key in root.Select(p => p.Key).Order(StringComparer.Ordinal))
                if (!Meta.Contains(key) && !Defaults.ContainsKey(key))
                    throw Bad(key, root[key], "not a UNet2DModel option Cm knows; it may change the network, so Cm refuses to guess");
            if (root.TryGetPropertyValue("_class_name", out var cls) && Show(cls) != "\"UNet2DModel\"")
                throw Bad("_class_name", cls, "Cm builds only UNet2DModel (the consistency-model network)");

            var (h, w) = SampleSize();
            var channels = Get("block_out_channels") is JsonArray ca && ca.Count > 0
                && ca.All(x => x is JsonValue jv && jv.TryGetValue<double>(out var d) && d == Math.Floor(d) && d >= 1 && d <= 1 << 20)
                ? ca.Select(x => (int)(double)x!).ToImmutableArray()
                : throw Bad("block_out_channels", Get("block_out_channels"), "must be a non-empty list of positive integers");
            var down = Strings("down_block_types");
            var up = Strings("up_block_types");
            if (down.Length != channels.Length) throw Bad("down_block_types", Get("down_block_types"), $"needs one entry per block_out_channels entry ({channels.Length})");
            if (up.Length != channels.Length) throw Bad("up_block_types", Get("up_block_types"), $"needs one entry per block_out_channels entry ({channels.Length})");
            var downKinds = down.Select(DownKind).ToImmutableArray();
            var upKinds = up.Select(UpKind).ToImmutableArray();
            if (downKinds.Take(channels.Length - 1).Contains(DownBlockKind.Attention)) Expect("downsample_type", "resnet", "Cm supports AttnDownBlock2D with resnet downsamplers only (what the consistency checkpoints use)");
            if (upKinds.Take(channels.Length - 1).Contains(UpBlockKind.Attention)) Expect("upsample_type", "resnet", "Cm supports AttnUpBlock2D with resnet upsamplers only (what the consistency checkpoints use)");

            Expect("time_embedding_type", "positional", "Cm supports the sinusoidal (positional) time embedding only");
            Expect("act_fn", "silu", "Cm supports SiLU only");
            Expect("mid_block_type", "UNetMidBlock2D", "Cm supports the UNetMidBlock2D mid block only");
            if (Get("class_embed_type") is not null) throw Bad("class_embed_type", Get("class_embed_type"), "Cm supports only null (a class embedding table from num_class_embeds)");
            var shift = Str("resnet_time_scale_shift") switch
            {
                "default" => TimeShift.Default,
                "scale_shift" => TimeShift.ScaleShift,
                _ => throw Bad("resnet_time_scale_shift", Get("resnet_time_scale_shift"), "Cm supports \"default\" and \"scale_shift\""),
            };
            if (Get("norm_num_groups") is null) throw Bad("norm_num_groups", null, "Cm needs an explicit group count");
            var groups = Int("norm_num_groups", 1);
            var attnGroupsGiven = Int("attn_norm_num_groups", 1, nullable: true);
            // UNetMidBlock2D: a null attn_groups means norm_num_groups for "default" and no GroupNorm for "scale_shift".
            var midGroups = attnGroupsGiven != 0 ? attnGroupsGiven : shift == TimeShift.Default ? groups : 0;
            var headDim = Int("attention_head_dim", 1, nullable: true);
            var c0 = channels[0];
            var temb = Int("time_embedding_dim", 1, nullable: true, ifNull: 4 * c0);
            if (c0 % 2 != 0) throw Bad("block_out_channels", Get("block_out_channels"), "the first entry must be even (the sinusoidal embedding has C0/2 frequencies)");
            foreach (var c in channels)
            {
                if (c % groups != 0) throw Bad("norm_num_groups", Get("norm_num_groups"), $"must divide every block_out_channels entry ({c} does not divide)");
                if (headDim != 0 && c % headDim != 0) throw Bad("attention_head_dim", Get("attention_head_dim"), $"must divide every block_out_channels entry ({c})");
            }
            if (midGroups != 0 && channels[^1] % midGroups != 0) throw Bad("attn_norm_num_groups", Get("attn_norm_num_groups"), $"must divide the last block_out_channels entry ({channels[^1]})");
            var freqShift = Number("freq_shift", d => double.IsFinite(d) && d < c0 / 2, $"must be a number below C0/2 = {c0 / 2}");

            // Read for validation only: dropout is inactive in eval mode, downsample_padding belongs to conv
            // downsamplers (rejected above) and num_train_timesteps to the learned time embedding (rejected above).
            Number("dropout", d => d >= 0 && d < 1, "must be in [0, 1)");
            Int("downsample_padding", 0);
            Int("num_train_timesteps", 1, nullable: true);

            return new UnetConfig(
                h, w, Int("in_channels", 1), Int("out_channels", 1), Bool("center_input_sample"), Bool("flip_sin_to_cos"),
                freqShift, temb, downKinds, upKinds, channels, Int("layers_per_block", 1),
                Number("mid_block_scale_factor", d => double.IsFinite(d) && d != 0, "must be a finite non-zero number"),
                headDim, groups, midGroups,
                Number("norm_eps", d => double.IsFinite(d) && d > 0, "must be a positive number"),
                shift, Bool("add_attention"), Int("num_class_embeds", 1, nullable: true));
        }

        private (int H, int W) SampleSize()
        {
            var v = Get("sample_size");
            if (v is null) return (0, 0);
            if (v is JsonValue) { var s = Int("sample_size", 1); return (s, s); }
            if (v is JsonArray { Count: 2 } a && a.All(x => x is JsonValue jv && jv.TryGetValue<int>(out var i) && i >= 1))
                return ((int)a[0]!, (int)a[1]!);
            throw Bad("sample_size", v, "must be a positive integer or [height, width]");
        }

        private DownBlockKind DownKind(string name) => name switch
        {
            "ResnetDownsampleBlock2D" => DownBlockKind.ResnetDownsample,
            "AttnDownBlock2D" => DownBlockKind.Attention,
            _ => throw Bad("down_block_types", JsonValue.Create(name), "Cm supports ResnetDownsampleBlock2D and AttnDownBlock2D (the consistency checkpoints' blocks)"),
        };

        private UpBlockKind UpKind(string name) => name switch
        {
            "ResnetUpsampleBlock2D" => UpBlockKind.ResnetUpsample,
            "AttnUpBlock2D" => UpBlockKind.Attention,
            _ => throw Bad("up_block_types", JsonValue.Create(name), "Cm supports ResnetUpsampleBlock2D and AttnUpBlock2D (the consistency checkpoints' blocks)"),
        };
    }

    private sealed class FieldException(UnsupportedUnetConfig error) : Exception(error.Message)
    {
        public UnsupportedUnetConfig Error { get; } = error;
    }
}
