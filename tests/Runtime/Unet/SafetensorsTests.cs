using System.Text;
using Cm.Runtime.Errors;
using Cm.Runtime.Models.Safetensors;
using Cm.Runtime.Models.Unet;
using Cm.Tests.Runtime;
using LanguageExt;
using LanguageExt.Common;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Unet;

/// <summary>The safetensors reader on hand-made files: dtype conversion, every header check, strict loading, pickles.</summary>
public sealed class SafetensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cm-safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    // A file as the format defines it: u64 LE header length, JSON header, data.
    private string Write(string name, string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var path = Path.Combine(_dir, name);
        using var f = File.Create(path);
        f.Write(BitConverter.GetBytes((ulong)json.Length));
        f.Write(json);
        f.Write(data);
        return path;
    }

    private static SafetensorsHeader Header(string path) => SafetensorsHeader.Read(path).Match(h => h, e => throw new Xunit.Sdk.XunitException(e.Message));

    private static Error Failure<T>(Fin<T> fin) => fin.Match(_ => throw new Xunit.Sdk.XunitException("expected a failure"), e => e);

    [Fact]
    public void F16_BF16_and_F32_values_convert_exactly()
    {
        // F16 0x3C00 = 1, 0xC100 = −2.5, 0x7BFF = 65504; BF16 0x3F80 = 1, 0xC020 = −2.5; F32 0.1f.
        var data = new byte[] { 0x00, 0x3C, 0x00, 0xC1, 0xFF, 0x7B, 0x00, 0x00, 0x80, 0x3F, 0x20, 0xC0 }
            .Concat(BitConverter.GetBytes(0.1f)).ToArray();
        var path = Write("mixed.safetensors",
            """{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[1,2],"data_offsets":[8,12]},"f":{"dtype":"F32","shape":[],"data_offsets":[12,16]},"__metadata__":{"format":"pt"}}""",
            data);
        var header = Header(path);
        Assert.Equal([1f, -2.5f, 65504f], SafetensorsLoader.ReadFloats(header, "h").Match(v => v, e => throw new Xunit.Sdk.XunitException(e.Message)));
        Assert.Equal([1f, -2.5f], SafetensorsLoader.ReadFloats(header, "b").Match(v => v, e => throw new Xunit.Sdk.XunitException(e.Message)));
        Assert.Equal([0.1f], SafetensorsLoader.ReadFloats(header, "f").Match(v => v, e => throw new Xunit.Sdk.XunitException(e.Message)));
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}""", "outside")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "span 8 bytes")]
    [InlineData("""{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", "dtype I64")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}""", "overlap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1]}}""", "data_offsets")]
    [InlineData("""[1,2]""", "not a JSON object")]
    [InlineData("""{"a":""", "not JSON")]
    public void Malformed_headers_are_typed_errors_saying_what_is_wrong(string header, string says)
    {
        var e = Failure(SafetensorsHeader.Read(Write("bad.safetensors", header, new byte[8])));
        Assert.IsType<InvalidSafetensors>(e);
        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void A_header_length_past_the_end_or_too_large_is_refused_before_reading_it()
    {
        var path = Path.Combine(_dir, "huge.safetensors");
        File.WriteAllBytes(path, BitConverter.GetBytes(5_000_000_000UL).Concat(new byte[16]).ToArray());
        var e = Failure(SafetensorsHeader.Read(path));
        Assert.IsType<InvalidSafetensors>(e);
        Assert.Contains("header length", e.Message);
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.IsType<InvalidSafetensors>(Failure(SafetensorsHeader.Read(path)));
    }

    [Fact]
    public void A_pickle_checkpoint_says_how_to_get_the_safetensors_file()
    {
        var zip = Path.Combine(_dir, "diffusion_pytorch_model.bin");
        File.WriteAllBytes(zip, [(byte)'P', (byte)'K', 3, 4, 0x14, 0, 0, 0, 0, 0, 0, 0]);
        var e = Failure(SafetensorsHeader.Read(zip));
        Assert.IsType<PickleCheckpoint>(e);
        Assert.Contains("diffusion_pytorch_model.safetensors", e.Message);
        var raw = Path.Combine(_dir, "model.safetensors");
        File.WriteAllBytes(raw, [0x80, 2, (byte)'}', (byte)'q', 0, (byte)'X', 1, 0, 0]);
        Assert.IsType<PickleCheckpoint>(Failure(SafetensorsHeader.Read(raw)));
        Assert.IsType<PickleCheckpoint>(Failure(UnetModel.Load(UnetGolden.Dir("models", "imagenet64_tiny", "config.json"), zip, torch.CPU)));
    }

    [Fact]
    public void Strict_loading_lists_every_missing_unexpected_and_wrongly_shaped_tensor_at_once()
    {
        RuntimeFixtures.RequireTorch();
        using var module = torch.nn.Linear(2, 3);
        var path = Write("linear.safetensors",
            """{"weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"extra":{"dtype":"F32","shape":[1],"data_offsets":[24,28]}}""",
            new byte[28]);
        var e = Assert.IsType<WeightsMismatch>(Failure(SafetensorsLoader.LoadInto(module, path)));
        Assert.Equal(new[] { "bias" }, e.Missing.ToArray());
        Assert.Equal(new[] { "extra" }, e.Unexpected.ToArray());
        Assert.Single(e.WrongShape);
        Assert.Contains("weight [2, 3]", e.WrongShape[0]);
        Assert.Contains("[3, 2]", e.WrongShape[0]);
    }

    [Fact]
    public void Loading_copies_every_value_bit_for_bit_and_hashes_the_whole_file()
    {
        RuntimeFixtures.RequireTorch();
        using var module = torch.nn.Linear(2, 1);
        // Tensors stored out of name order with a 4-byte gap: offsets, not key order, decide.
        float[] w = [1.5f, -0.25f];
        var data = BitConverter.GetBytes(3.75f).Concat(new byte[4]).Concat(w.SelectMany(BitConverter.GetBytes)).ToArray();
        var path = Write("ok.safetensors",
            """{"weight":{"dtype":"F32","shape":[1,2],"data_offsets":[8,16]},"bias":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]}}""",
            data);
        var hash = SafetensorsLoader.LoadInto(module, path).Match(h => h, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))), hash);
        Assert.Equal(w, module.weight!.data<float>().ToArray());
        // bias: BF16 bits 0x4070 (bytes 2..3 of 3.75f = 0x40700000) = 3.75.
        Assert.Equal([3.75f], module.bias!.data<float>().ToArray());
    }

    [Fact]
    public void Legacy_attention_names_map_to_todays()
    {
        Assert.Equal("mid_block.attentions.0.to_q.weight", SafetensorsLoader.CurrentName("mid_block.attentions.0.query.weight"));
        Assert.Equal("up_blocks.0.attentions.2.to_out.0.bias", SafetensorsLoader.CurrentName("up_blocks.0.attentions.2.proj_attn.bias"));
        Assert.Equal("down_blocks.0.resnets.0.conv1.weight", SafetensorsLoader.CurrentName("down_blocks.0.resnets.0.conv1.weight"));
    }
}
