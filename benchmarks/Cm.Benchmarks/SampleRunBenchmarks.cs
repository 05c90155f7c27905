using BenchmarkDotNet.Attributes;
using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Models.Analytic;
using Cm.Runtime.Native;
using Cm.Runtime.Sampling;
using Cm.Runtime.Threading;
using TorchSharp;

namespace Cm.Benchmarks;

/// <summary>
/// A whole <c>cm sample</c> run without the process start: the default model (<c>analytic:glyphs</c>, the
/// per-sample adaptive ODE solve) through <see cref="Pipeline.Run"/>, for the README's default (16 samples,
/// timesteps 22,0) and the 64 samples × 4 steps, at 1 and 2 libtorch threads and at libtorch's own
/// default (<see cref="LibTorchDefault"/>: one thread per core), the setting <see cref="TorchThreads"/> chooses
/// between (docs/performance.md, "Threads").
/// </summary>
public class SampleRun
{
    /// <summary>libtorch's thread count before anyone set it (read once, at class load).</summary>
    public static readonly int LibTorchDefault = ReadDefault();

    private GlyphsModel? _model;
    private SamplingRequest? _request;

    /// <summary>Intra-op threads; 0 means libtorch's default.</summary>
    [Params(1, 2, 0)]
    public int Threads { get; set; }

    /// <summary>"16x2" (README default) or "64x4" (full runs only).</summary>
    [ParamsSource(nameof(Runs))]
    public string Run { get; set; } = "16x2";

    /// <summary>The runs measured: the README default; with the full job also 64 samples × 4 steps.</summary>
    public static IEnumerable<string> Runs => Sizes.Quick ? ["16x2"] : ["16x2", "64x4"];

    /// <summary>The model and the request; the thread count.</summary>
    [GlobalSetup]
    public void Setup()
    {
        TorchThreads.Set(Threads == 0 ? LibTorchDefault : Threads).IfFail(e => throw new InvalidOperationException(e.Message));
        var (batch, spec) = Run == "16x2" ? (16, TimestepSpec.OfIndices(22, 0)) : (64, TimestepSpec.OfSteps(4));
        _model = new GlyphsModel(ValidConfig.Default, torch.CPU);
        _request = new SamplingRequest(ValidConfig.Default, spec, batch, Shape.Of(1, 16, 16),
            new NoiseSpec(NoiseKind.Torch, 0), LabelSpec.Unconditional, DeviceSpec.Parse("cpu").Match(d => d, e => throw new InvalidOperationException(e.Message)));
    }

    /// <summary>One run.</summary>
    [Benchmark]
    public SamplingResult Sample() =>
        Pipeline.Run(_request!, _model!).Match(r => r, e => throw new InvalidOperationException(e.Message));

    /// <summary>Releases the model.</summary>
    [GlobalCleanup]
    public void Cleanup() => _model?.Dispose();

    private static int ReadDefault()
    {
        TorchNative.EnsureLoaded().IfFail(e => throw new InvalidOperationException($"libtorch did not load: {e.Message}"));
        return torch.get_num_threads();
    }
}
