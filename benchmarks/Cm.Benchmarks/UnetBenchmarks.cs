using BenchmarkDotNet.Attributes;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Models;
using Cm.Runtime.Models.Unet;
using Cm.Runtime.Native;
using Cm.Runtime.Sampling;
using TorchSharp;

namespace Cm.Benchmarks;

/// <summary>
/// The full-size ImageNet-64 consistency network (295,899,267 parameters) run by Cm's native TorchSharp module and,
/// in the same run, the same network as a TorchScript file through TorchSharp (the route users had before the
/// native module), batch 1 and 4, on 1 and 2 libtorch threads. Both are called as Cm's sampler calls them,
/// <see cref="IModel.Forward"/> with identical inputs. The weights and the TorchScript file are diffusers' own
/// UNet2DModel with random weights, made by scripts/unet-torchscript/make.sh (<see cref="UnetArtifacts"/>); the
/// native module loads that safetensors file through Cm's strict loader, and setup checks once that both compute
/// the same function. Without the artifacts the native module runs with random weights of its own and the
/// TorchScript case is not run (said loudly). One forward takes seconds: a few iterations, each one call.
/// </summary>
public class UnetForward
{
    internal const string ImageNet64 = """
        {"_class_name": "UNet2DModel", "sample_size": 64, "in_channels": 3, "out_channels": 3, "layers_per_block": 3,
         "num_class_embeds": 1000, "block_out_channels": [192, 384, 576, 768], "attention_head_dim": 64,
         "down_block_types": ["ResnetDownsampleBlock2D", "AttnDownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"],
         "up_block_types": ["AttnUpBlock2D", "AttnUpBlock2D", "AttnUpBlock2D", "ResnetUpsampleBlock2D"],
         "resnet_time_scale_shift": "scale_shift", "attn_norm_num_groups": 32, "upsample_type": "resnet", "downsample_type": "resnet"}
        """;

    /// <summary>The model time at sigma_max = 80, as the sampler passes it (1000 · 0.25 · ln(σ + 1e-44)).</summary>
    internal static readonly double TimeAtSigmaMax = 1000 * 0.25 * Math.Log(80.0 + 1e-44);

    // The models live for the whole process (GlobalSetup runs once per parameter case, in-process): loading
    // 2 × 1.2 GB per case would dominate the run. The agreement check runs once.
    private static IModel? _native, _torchScript;
    private static bool _checked;

    private torch.Tensor _x = null!, _labels = null!;

    /// <summary>Samples per forward.</summary>
    [Params(1, 4)]
    public int Batch { get; set; }

    /// <summary>libtorch intra-op threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Loads the models (once per process), checks they agree (once), makes this case's inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchNative.EnsureLoaded().IfFail(e => throw new InvalidOperationException(e.Message));
        torch.set_num_threads(Threads);
        if (_native is null) (_native, _torchScript) = LoadModels();
        if (!_checked && _torchScript is not null)
        {
            CheckSameNetwork(_native, _torchScript);
            _checked = true;
        }
        var g = new torch.Generator(1000UL + (ulong)Batch);
        _x = torch.randn(new long[] { Batch, 3, 64, 64 }, generator: g);
        _labels = torch.arange(Batch, dtype: torch.int64) * 7;
    }

    private static (IModel Native, IModel? TorchScript) LoadModels()
    {
        if (!UnetArtifacts.Present)
        {
            Console.WriteLine(UnetArtifacts.HowToMake());
            torch.manual_seed(0);
            var config = UnetConfigJson.Parse(ImageNet64, "imagenet64").Match(c => c, e => throw new InvalidOperationException(e.Message));
            var network = new Unet2DModel(config);
            network.eval();
            return (new DelegateModel("unet2d:random-weights", (x, t, l) =>
            {
                using var tt = ModelConvention.TimestepTensor(x, t);
                using var noGrad = torch.no_grad();
                return network.call(x, tt, l);
            }), null);
        }
        var cpu = torch.CPU;
        var native = UnetModel.Load(UnetArtifacts.Config, UnetArtifacts.Weights, cpu)
            .Match(m => m, e => throw new InvalidOperationException($"native load of {UnetArtifacts.Weights}: {e.Message}"));
        var script = TorchScriptModel.Load(UnetArtifacts.TorchScript, cpu)
            .Match(m => m, e => throw new InvalidOperationException($"TorchScript load of {UnetArtifacts.TorchScript}: {e.Message}"));
        Console.WriteLine($"// UNet artifacts: {UnetArtifacts.Folder}");
        Console.WriteLine($"//   native      {native.Identity}");
        Console.WriteLine($"//   TorchScript {script.Identity}");
        return (native, script);
    }

    /// <summary>
    /// Both models on one input (batch 2, two classes, sigma_max): max |native − TorchScript| must be within the
    /// golden README's tolerance, 2e-5 · max(1, max |TorchScript|), else they are not the same network.
    /// </summary>
    private static void CheckSameNetwork(IModel native, IModel torchScript)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn(new long[] { 2, 3, 64, 64 }, generator: new torch.Generator(7));
        var labels = torch.tensor(new long[] { 207, 980 });
        var a = native.Forward(x, TimeAtSigmaMax, labels);
        var b = torchScript.Forward(x, TimeAtSigmaMax, labels);
        var diff = (a - b).abs().max().item<float>();
        var scale = b.abs().max().item<float>();
        var tolerance = 2e-5 * Math.Max(1.0, scale);
        var finite = torch.isfinite(a).all().item<bool>() && torch.isfinite(b).all().item<bool>();
        Console.WriteLine($"// same-network check (batch 2, t = {TimeAtSigmaMax:0.###}, labels 207 980, {torch.get_num_threads()} threads): " +
                          $"max |native - TorchScript| = {diff:G3}, max |output| = {scale:G3}, tolerance {tolerance:G3}: " +
                          (finite && diff <= tolerance ? "AGREE" : "DISAGREE"));
        if (!finite || !(diff <= tolerance))
            throw new InvalidOperationException($"native and TorchScript outputs differ by {diff:G3} (tolerance {tolerance:G3}, finite {finite}): not the same network.");
    }

    /// <summary>Releases this case's inputs (the models stay for the next case).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _x.Dispose();
        _labels.Dispose();
    }

    /// <summary>One forward of Cm's native module.</summary>
    [Benchmark]
    public float NativeForward()
    {
        using var y = _native!.Forward(_x, TimeAtSigmaMax, _labels);
        return y.data<float>()[0];
    }

    /// <summary>One forward of the same network as a TorchScript file (diffusers' code, traced) through TorchSharp.</summary>
    [Benchmark]
    public float TorchScriptForward()
    {
        var model = _torchScript ?? throw new InvalidOperationException(UnetArtifacts.HowToMake());
        using var y = model.Forward(_x, TimeAtSigmaMax, _labels);
        return y.data<float>()[0];
    }
}

/// <summary>
/// Everything Cm adds around the network in one sampling step at ImageNet-64 size (batch 1 and 4): a 1-step
/// run whose model returns a prepared tensor, so the time is the loop's own (initial draw included, which a
/// multi-step run pays once).
/// </summary>
public class StepOverhead
{
    private DelegateModel _model = null!;
    private torch.Tensor _output = null!;
    private SamplingRequest _request = null!;

    /// <summary>Samples per step.</summary>
    [Params(1, 4)]
    public int Batch { get; set; }

    /// <summary>A model that costs nothing.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchNative.EnsureLoaded().IfFail(e => throw new InvalidOperationException(e.Message));
        torch.set_num_threads(1);
        _output = torch.randn(Batch, 3, 64, 64) * 0.5;
        _model = new DelegateModel("prepared", (x, t, l) => _output.alias());
        var config = Cm.Pure.Config.ConfigValidation.ValidateFin(Cm.Pure.Config.SchedulerConfig.Default)
            .Match(v => v, e => throw new InvalidOperationException(e.Message));
        _request = new SamplingRequest(config, TimestepSpec.OfIndices(22), Batch, Shape.Of(3, 64, 64),
            new NoiseSpec(NoiseKind.Torch, 0), new LabelSpec.Given([.. Enumerable.Range(0, Batch)]), DeviceSpec.Cpu);
    }

    /// <summary>Releases the prepared output.</summary>
    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    /// <summary>One step of the loop around a free model.</summary>
    [Benchmark]
    public int OneStepAroundTheNetwork() =>
        Pipeline.Run(_request, _model).Match(r => r.Steps, e => throw new InvalidOperationException(e.Message));
}
