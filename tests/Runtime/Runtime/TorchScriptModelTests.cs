using System.Text.Json;
using Cm.Runtime.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace Cm.Tests.Runtime;

public class TorchScriptModelTests(ITestOutputHelper output)
{
    private sealed record Expected(long[] Shape, double Timestep, double TFloat32, long[] ClassLabels,
                                   float[] X, float[] OutUnconditional, float[] OutConditional);

    private static Expected ReadExpected()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(RuntimeFixtures.Model("tiny_unet.expected.json")));
        var r = doc.RootElement;
        float[] F(string name) => r.GetProperty(name).EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();
        long[] L(string name) => r.GetProperty(name).EnumerateArray().Select(e => e.GetInt64()).ToArray();
        return new Expected(L("shape"), r.GetProperty("timestep").GetDouble(), r.GetProperty("t_float32").GetDouble(),
                            L("class_labels"), F("x"), F("out_unconditional"), F("out_conditional"));
    }

    /// <summary>
    /// Tolerance against PyTorch 1.13's recorded outputs. CPU: 1e-6 absolute. The ops are the same, but
    /// libtorch 2.10 and 1.13 may pick different conv kernels (oneDNN versions, vectorisation), whose float32
    /// summation order differs in the last bits; outputs here are O(1), so 1e-6 is a few ulps. CUDA: 1e-4,
    /// since cuDNN's convolutions (TF32 allowed by default on Ampere+) differ more from the CPU reference.
    /// </summary>
    private static double Tolerance(torch.Device device) => device.type == DeviceType.CUDA ? 1e-4 : 1e-6;

    [Fact]
    public void Tiny_unet_matches_pytorchs_recorded_outputs()
    {
        RuntimeFixtures.RequireTorch();
        var device = RuntimeFixtures.Device;
        var e = ReadExpected();
        using var model = TorchScriptModel.Load(RuntimeFixtures.Model("tiny_unet.pt"), device, probeShape: e.Shape).ThrowIfFail();
        Assert.StartsWith("torchscript:sha256:", model.Identity);
        Assert.Equal(64, model.Identity["torchscript:sha256:".Length..].Length);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Assert.Equal((float)e.Timestep, (float)e.TFloat32);
        var x = torch.tensor(e.X, dtype: torch.float32).reshape(e.Shape).to(device);
        var labels = torch.tensor(e.ClassLabels, dtype: torch.int64).to(device);

        foreach (var (name, lab, want) in new[] { ("unconditional", (torch.Tensor?)null, e.OutUnconditional), ("conditional", labels, e.OutConditional) })
        {
            var got = model.Forward(x, e.Timestep, lab);
            Assert.Equal(e.Shape, got.shape);
            var values = got.cpu().data<float>().ToArray();
            var maxAbs = values.Zip(want, (a, b) => Math.Abs((double)a - b)).Max();
            var exact = Enumerable.Range(0, values.Length).Count(i => values[i] == want[i]);
            output.WriteLine($"{name} on {device}: max |TorchSharp - PyTorch| = {maxAbs:E3}; bit-identical {exact}/{values.Length}");
            Assert.True(maxAbs <= Tolerance(device), $"{name}: max abs diff {maxAbs:E3} > {Tolerance(device):E0} on {device}");
        }
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), "cm-no-such-model-" + Guid.NewGuid().ToString("N") + ".pt");
        var err = TorchScriptModel.Load(path, torch.CPU).Match(_ => throw new InvalidOperationException(), e => e);
        Assert.Equal(TorchScriptModel.MissingFileCode, err.Code);
        Assert.Contains("does not exist", err.Message);
        Assert.Contains(path, err.Message);
    }

    [Fact]
    public void Corrupt_file_is_a_clear_error()
    {
        RuntimeFixtures.RequireTorch();
        var dir = Directory.CreateTempSubdirectory("cm-corrupt-");
        try
        {
            var garbage = Path.Combine(dir.FullName, "garbage.pt");
            File.WriteAllBytes(garbage, Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 + 7)).ToArray());
            var err = TorchScriptModel.Load(garbage, torch.CPU).Match(_ => throw new InvalidOperationException(), e => e);
            Assert.Equal(TorchScriptModel.CorruptFileCode, err.Code);
            Assert.Contains("is not a TorchScript archive", err.Message);

            // A truncated real archive is corrupt too.
            var truncated = Path.Combine(dir.FullName, "truncated.pt");
            var bytes = File.ReadAllBytes(RuntimeFixtures.Model("tiny_unet.pt"));
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            var err2 = TorchScriptModel.Load(truncated, torch.CPU).Match(_ => throw new InvalidOperationException(), e => e);
            Assert.Equal(TorchScriptModel.CorruptFileCode, err2.Code);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Wrong_signature_is_a_clear_error_at_load_with_a_probe()
    {
        RuntimeFixtures.RequireTorch();
        var err = TorchScriptModel.Load(RuntimeFixtures.Model("wrong_signature.pt"), torch.CPU, probeShape: [1, 3, 4, 4])
            .Match(_ => throw new InvalidOperationException(), e => e);
        output.WriteLine(err.Message);
        Assert.Equal(TorchScriptModel.WrongSignatureCode, err.Code);
        Assert.Contains(ModelConvention.TorchScriptSignature, err.Message);
    }

    [Fact]
    public void Wrong_signature_without_a_probe_fails_at_the_first_call_with_the_expected_signature()
    {
        RuntimeFixtures.RequireTorch();
        using var model = TorchScriptModel.Load(RuntimeFixtures.Model("wrong_signature.pt"), torch.CPU).ThrowIfFail();
        using var x = torch.zeros(1, 3, 4, 4);
        var ex = Assert.Throws<ModelCallException>(() => model.Forward(x, 1.0, null));
        Assert.Contains(ModelConvention.TorchScriptSignature, ex.Message);
        Assert.Equal(model.Identity, ex.Identity);
    }
}
