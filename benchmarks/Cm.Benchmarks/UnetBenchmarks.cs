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
/// The full-size ImageNet-64 consistency network (295,899,267 parameters, random weights: no download) run by
/// Cm's native TorchSharp module, batch 1 and 4, on 1 and 2 libtorch threads; and everything Cm adds around the
/// network in a sampling step (scaling, step, noise, copies, NaN check), measured as a 1-step run with a model that
/// returns a prepared tensor. One forward takes seconds: a few iterations, each one call (docs/performance.md).
/// </summary>
public class UnetForward
{
    private const string ImageNet64 = """
        {"_class_name": "UNet2DModel", "sample_size": 64, "in_channels": 3, "out_channels": 3, "layers_per_block": 3,
         "num_class_embeds": 1000, "block_out_channels": [192, 384, 576, 768], "attention_head_dim": 64,
         "down_block_types": ["ResnetDownsampleBlock2D", "AttnDownBlock2D", "AttnDownBlock2D", "AttnDownBlock2D"],
         "up_block_types": ["AttnUpBlock2D", "AttnUpBlock2D", "AttnUpBlock2D", "ResnetUpsampleBlock2D"],
         "resnet_time_scale_shift": "scale_shift", "attn_norm_num_groups": 32, "upsample_type": "resnet", "downsample_type": "resnet"}
        """;

    private Unet2DModel _network = null!;
    private torch.Tensor _x = null!, _t = null!, _labels = null!;

    /// <summary>Samples per forward.</summary>
    [Params(1, 4)]
    public int Batch { get; set; }

    /// <summary>libtorch intra-op threads.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the network once per parameter set.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchNative.EnsureLoaded().IfFail(e => throw new InvalidOperationException(e.Message));
        torch.set_num_threads(Threads);
        torch.manual_seed(0);
        var config = UnetConfigJson.Parse(ImageNet64, "imagenet64").Match(c => c, e => throw new InvalidOperationException(e.Message));
        _network = new Unet2DModel(config);
        _network.eval();
        _x = torch.randn(Batch, 3, 64, 64);
        _t = torch.full(Batch, 80.9f);
        _labels = torch.arange(Batch, dtype: torch.int64);
    }

    /// <summary>Releases the network.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _network.Dispose();
        _x.Dispose();
        _t.Dispose();
        _labels.Dispose();
    }

    /// <summary>One forward of Cm's native module.</summary>
    [Benchmark]
    public float NativeForward()
    {
        using var noGrad = torch.no_grad();
        using var y = _network.call(_x, _t, _labels);
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
