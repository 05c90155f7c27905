using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Errors;
using Cm.Runtime.Models.Onnx;
using Cm.Runtime.Sampling;
using Cm.Tests.Golden;
using Cm.Tests.Runtime;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Unet;

/// <summary>
/// The committed ONNX fixture (tests/fixtures/models/tiny_cm.onnx, made by make_onnx_fixture.py with torch 1.13):
/// ONNX Runtime reproduces torch's output for the recorded input, and the sampler runs with it.
/// </summary>
public sealed class OnnxModelTests
{
    private static string Fixture => RuntimeFixtures.Model("tiny_cm.onnx");

    private static OnnxModel Load() => OnnxModel.Load(Fixture).Match(m => m, e => throw new Xunit.Sdk.XunitException(e.Message));

    private static float[] Decode(JsonNode e) =>
        e["bits"]!.AsArray().Select(b => BitConverter.UInt32BitsToSingle(uint.Parse(((string)b!)[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToArray();

    [Fact]
    public void Onnx_runtime_reproduces_the_torch_output_of_the_fixture()
    {
        RuntimeFixtures.RequireTorch();
        var expected = JsonNode.Parse(File.ReadAllText(RuntimeFixtures.Model("tiny_cm.expected.json")))!;
        using var model = Load();
        Assert.True(model.IsConditional);
        Assert.StartsWith("onnx:sha256:", model.Identity);
        var shape = expected["x"]!["shape"]!.AsArray().Select(d => (long)d!).ToArray();
        using var x = torch.tensor(Decode(expected["x"]!), shape, dtype: torch.float32);
        var ts = expected["t"]!.AsArray().Select(v => (double)v!).ToArray();
        var labels = expected["class_labels"]!.AsArray().Select(v => (long)v!).ToArray();
        var golden = Decode(expected["output"]!);
        // The convention passes one t per call: run each batch item alone.
        for (var i = 0; i < ts.Length; i++)
        {
            using var xi = x[i].unsqueeze(0);
            using var li = torch.tensor(new[] { labels[i] }, dtype: torch.int64);
            using var y = model.Forward(xi, ts[i], li);
            var per = golden.Length / ts.Length;
            UnetGolden.AssertClose(golden.AsSpan(i * per, per), UnetGolden.Floats(y), $"item {i}");
        }
    }

    [Fact]
    public void The_sampler_runs_with_the_onnx_fixture()
    {
        RuntimeFixtures.RequireTorch();
        using var model = Load();
        var request = new SamplingRequest(GoldenFiles.ValidConfig(UpstreamConfigNode()), TimestepSpec.OfIndices(22, 0), 3, Shape.Of(3, 8, 8),
            new NoiseSpec(NoiseKind.Torch, 0), new LabelSpec.Given([1, 2, 3]), DeviceSpec.Cpu);
        var result = Pipeline.Run(request, model).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(3 * 3 * 8 * 8, result.Samples.Data.Length);
        Assert.All(result.Samples.Data.ToArray(), v => Assert.InRange(v, -1.001f, 1.001f));
        Assert.Equal(model.Identity, result.Header.Model);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_a_typed_error()
    {
        var e = OnnxModel.Load(RuntimeFixtures.Model("tiny_cm.expected.json")).Match(_ => throw new Xunit.Sdk.XunitException("expected an error"), e => e);
        Assert.IsType<InvalidModel>(e);
        Assert.Contains("ONNX", e.Message);
    }

    private static JsonNode UpstreamConfigNode() => JsonNode.Parse(
        """{"num_train_timesteps": 40, "sigma_min": 0.002, "sigma_max": 80.0, "sigma_data": 0.5, "s_noise": 1.0, "rho": 7.0, "clip_denoised": true}""")!;
}
