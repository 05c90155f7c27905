using BenchmarkDotNet.Attributes;
using Cm.Pure.Config;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Runtime.Sampling;
using TorchSharp;

namespace Cm.Benchmarks;

/// <summary>
/// One whole step including torch-compatible noise: the pure immutable step (<see cref="Scheduler.Step{T}(SchedulerState, Tensor{T}, Timestep, Tensor{T})"/>),
/// the sample-only step (<see cref="Scheduler.StepSample{T}"/>) and the buffer step (<see cref="Scheduler.StepInto"/>),
/// against diffusers' op sequence on libtorch: <c>randn</c> with a CPU generator, then
/// mul, mul, add, clamp, mul, mul, add (golden/diffusers/README.md, step). MemoryDiagnoser shows what each
/// pure form allocates (libtorch's native buffers are not managed memory and do not show).
/// </summary>
[MemoryDiagnoser]
public class FullStep
{
    private SchedulerState _state = null!;
    private Tensor<float> _f = null!, _x = null!;
    private float[] _fa = [], _xa = [], _noise = [], _dst = [];
    private Shape _shape = Shape.Scalar;
    private double _t;
    private StepScalars _sc;
    private torch.Tensor? _tf, _tx, _txRun, _tnoise;
    private torch.Generator? _g;

    /// <summary>Elements (one image of 3·h·w or a batch).</summary>
    [ParamsSource(typeof(Sizes), nameof(Sizes.Elements))]
    public int N { get; set; }

    /// <summary>torch.set_num_threads for the libtorch sequence (the pure step is single-threaded).</summary>
    [ParamsSource(typeof(Sizes), nameof(Sizes.Threads))]
    public int Threads { get; set; }

    /// <summary>A 4-step default schedule at its second step (noise is drawn), with data and libtorch tensors.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Torch.Init(Threads);
        var schedule = Schedule.Create(ValidConfig.Default, TimestepSpec.OfSteps(4)).Match(s => s, e => throw new InvalidOperationException(e.Message));
        _state = Scheduler.Create(ValidConfig.Default, schedule, TorchNoise.FromSeed(1234)) with { StepIndex = 1, ModelInputScaled = true };
        _t = schedule.Timesteps[1];
        _sc = StepScalars.At(ValidConfig.Default, schedule, 1);
        _shape = Shape.Of(1, N);
        _fa = Data.Uniform(N, 1, -2, 2);
        _xa = Data.Uniform(N, 2, -80, 80);
        _f = Tensor<float>.From(_shape, _fa);
        _x = Tensor<float>.From(_shape, _xa);
        _noise = new float[N];
        _dst = new float[N];
        _tf = Torch.Of(_fa);
        _tx = Torch.Of(_xa);
        _g = new torch.Generator(1234);
        _txRun = Torch.Of(_xa);
        _tnoise = torch.empty([N], dtype: torch.float32);
    }

    /// <summary>Releases libtorch objects.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _tf?.Dispose(); _tx?.Dispose(); _g?.Dispose(); _txRun?.Dispose(); _tnoise?.Dispose();
    }

    /// <summary>diffusers' step on libtorch: randn, then c_out·F, c_skip·x, add, clamp, ·s_noise, ·scale, add.</summary>
    [Benchmark(Baseline = true)]
    public void LibtorchOpSequence()
    {
        using var scope = torch.NewDisposeScope();
        var noise = torch.randn([N], dtype: torch.float32, generator: _g);
        var denoised = _tf!.mul(_sc.COut).add(_tx!.mul(_sc.CSkip)).clamp(-1.0f, 1.0f);
        var z = noise.mul(_sc.SNoise);
        var prev = denoised.add(z.mul(_sc.NoiseScale));
        GC.KeepAlive(prev);
    }

    /// <summary>
    /// The pure immutable step with torch-compatible noise, as a loop that hands each outcome back when done
    /// with it (<see cref="StepOutcome{T}.Dispose"/>) uses it: noise, denoised and result come from the step pool.
    /// </summary>
    [Benchmark]
    public int PureStep() => Scheduler.Step(_state, _f, _t, _x).Match(o => { o.Dispose(); return 0; }, _ => 1);

    /// <summary>The pure step that returns only the next sample, handed back when done (one pooled array).</summary>
    [Benchmark]
    public int PureStepSample() => Scheduler.StepSample(_state, _f, _t, _x).Match(o => { o.Dispose(); return 0; }, _ => 1);

    /// <summary>The immutable step whose outcome is never handed back: three fresh arrays per call, freed by the GC (first-touch page faults).</summary>
    [Benchmark]
    public object PureStepUnreleased() => Scheduler.Step(_state, _f, _t, _x);

    /// <summary>The sample-only step never handed back: one fresh array per call.</summary>
    [Benchmark]
    public object PureStepSampleUnreleased() => Scheduler.StepSample(_state, _f, _t, _x);

    /// <summary>The pure step into caller buffers (noise buffer and destination reused; no denoised).</summary>
    [Benchmark]
    public object PureStepInto() => Scheduler.StepInto(_state, _t, _shape, _fa, _xa, _noise, _dst);

    /// <summary>
    /// The runtime's CPU step as Pipeline runs it: <see cref="Scheduler.PrepareStep"/> draws the torch-compatible
    /// noise into a CPU tensor's memory, then <see cref="TensorStep.Apply"/> updates the sample tensor in place.
    /// </summary>
    [Benchmark]
    public void RuntimeTensorStep()
    {
        var step = (StepIntoOutcome)Scheduler.PrepareStep(_state, _t, _shape, TensorStep.CpuSpan(_tnoise!));
        TensorStep.Apply(step.Scalars, true, _tf!, _txRun!, step.NoiseDrawn ? _tnoise : null);
    }
}
