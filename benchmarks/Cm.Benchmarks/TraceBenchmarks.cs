using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Models.Analytic;
using Cm.Runtime.Sampling;
using Cm.Runtime.Traces;
using LanguageExt;
using TorchSharp;

namespace Cm.Benchmarks;

/// <summary>The run of issue 14's trace targets: analytic Gaussian model, 64 samples of 3×64×64, 10 steps, Philox noise.</summary>
public static class TraceRun
{
    /// <summary>The sampling request of <c>cm sample --model analytic:gaussian --shape 3,64,64 --batch 64 --steps 10 --noise philox</c>.</summary>
    public static SamplingRequest Request => new(ValidConfig.Default, TimestepSpec.OfSteps(10), 64, Shape.Of(3, 64, 64),
        new NoiseSpec(NoiseKind.Philox, 0), LabelSpec.Unconditional, DeviceSpec.Cpu);

    /// <summary>The model (CPU).</summary>
    public static GaussianModel Model() => new(ValidConfig.Default, torch.CPU);

    /// <summary>Runs the request, optionally into a trace at <paramref name="path"/>.</summary>
    public static void Run(string? path, bool inline)
    {
        if (path is null)
        {
            Pipeline.Run(Request, Model()).IfFail(e => throw new InvalidOperationException(e.Message));
            return;
        }
        using var w = TraceWriter.Create(path, inline).Match(x => x, e => throw new InvalidOperationException(e.Message));
        Pipeline.Run(Request, Model(), w).IfFail(e => throw new InvalidOperationException(e.Message));
    }

    /// <summary>File sizes of the traces read by <see cref="TraceRead"/> (in-process: the report reads them for MB/s).</summary>
    public static Dictionary<string, long> Sizes { get; } = [];

    /// <summary>A fresh temporary path.</summary>
    public static string TempPath(string name) => Path.Combine(Path.GetTempPath(), $"cm-bench-{name}-{Environment.ProcessId}.jsonl");
}

/// <summary>
/// Writing a trace against not writing one, in the same run: the whole sampling run untraced, with a
/// hash-only trace and with inline tensors, and the floor for inline tensors: hashing each tensor once,
/// base64-encoding the four tensors of every step, hashing those line bytes and writing them (with the
/// final fsync the writer does), i.e. the work no writer of the same bytes can skip.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1, 1)]
public class TraceWrite
{
    private readonly List<(float[] Sample, float[] Output, float[] Noise, float[] Next)> _steps = [];
    private byte[] _line = [];
    private string _path = "";

    /// <summary>Records one run's tensors (for the floor) and loads libtorch.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Torch.Init(1);
        _path = TraceRun.TempPath("write");
        var keep = new Keep();
        Pipeline.Run(TraceRun.Request, TraceRun.Model(), keep).IfFail(e => throw new InvalidOperationException(e.Message));
        foreach (var r in keep.Steps)
            _steps.Add((r.Sample.ToArray(), r.ModelOutput.ToArray(), r.Noise.Map(n => n.ToArray()).IfNone([]), r.NextSample.ToArray()));
        _line = new byte[4 * Base64.GetMaxEncodedToUtf8Length(_steps[0].Sample.Length * 4) + 4096];
    }

    /// <summary>Removes the trace files.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_path);
        File.Delete(_path + ".partial");
    }

    /// <summary>The run without a trace.</summary>
    [Benchmark(Baseline = true)]
    public void Untraced() => TraceRun.Run(null, false);

    /// <summary>The run with a hash-only trace (<c>--trace</c>).</summary>
    [Benchmark]
    public void Hashes() => TraceRun.Run(_path, false);

    /// <summary>The run with inline tensors (<c>--trace-tensors</c>).</summary>
    [Benchmark]
    public void Tensors() => TraceRun.Run(_path, true);

    /// <summary>The floor of inline tensors: hash each tensor once, encode four per step, hash and write the lines, fsync.</summary>
    [Benchmark]
    public int Floor()
    {
        using var file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        Span<byte> digest = stackalloc byte[32];
        var total = SHA256.HashData(MemoryMarshal.AsBytes(_steps[0].Sample.AsSpan()), digest);
        foreach (var (sample, output, noise, next) in _steps)
        {
            total += SHA256.HashData(MemoryMarshal.AsBytes(output.AsSpan()), digest);
            total += SHA256.HashData(MemoryMarshal.AsBytes(noise.AsSpan()), digest);
            total += SHA256.HashData(MemoryMarshal.AsBytes(next.AsSpan()), digest);
            var at = 0;
            foreach (var t in new[] { sample, output, noise, next })
            {
                Base64.EncodeToUtf8(MemoryMarshal.AsBytes(t.AsSpan()), _line.AsSpan(at), out _, out var written);
                at += written;
            }
            total += SHA256.HashData(_line.AsSpan(0, at), digest);
            file.Write(_line, 0, at);
            file.WriteByte((byte)'\n');
        }
        file.Flush(flushToDisk: true);
        return total;
    }

    private sealed class Keep : IStepObserver
    {
        public StepValues Values => StepValues.Kept;
        public List<StepRecord> Steps { get; } = [];
        public Fin<Unit> OnStart(RunHeader header) => Unit.Default;
        public Fin<Unit> OnStep(StepRecord step) { Steps.Add(step); return Unit.Default; }
        public Fin<Unit> OnComplete(Tensor<float> finalSample) => Unit.Default;
    }
}

/// <summary>
/// Reading traces: <c>cm verify</c> (with the header's generator, as the CLI runs it) and <c>cm diff</c> of
/// the run's trace with inline tensors (about 168 MB, 16.8 MB per step line) and hash-only, against the
/// floor of reading and hashing the same file (the chain needs the SHA-256 of every byte).
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
[InvocationCount(1, 1)]
public class TraceRead
{
    private string _tensors = "", _hashes = "";

    /// <summary>Writes the two traces once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Torch.Init(1);
        _tensors = TraceRun.TempPath("read-tensors");
        _hashes = TraceRun.TempPath("read-hashes");
        TraceRun.Run(_tensors, true);
        TraceRun.Run(_hashes, false);
        TraceRun.Sizes["TraceRead.VerifyTensors"] = TraceRun.Sizes["TraceRead.DiffTensors"] = TraceRun.Sizes["TraceRead.HashFile"] = new FileInfo(_tensors).Length;
        TraceRun.Sizes["TraceRead.VerifyHashes"] = new FileInfo(_hashes).Length;
    }

    /// <summary>Removes the traces.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        File.Delete(_tensors);
        File.Delete(_hashes);
    }

    /// <summary>The floor: read the tensor trace in 1 MiB chunks and SHA-256 every byte.</summary>
    [Benchmark(Baseline = true)]
    public int HashFile()
    {
        using var f = new FileStream(_tensors, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buf = new byte[1 << 20];
        int n;
        while ((n = f.Read(buf)) > 0) h.AppendData(buf, 0, n);
        return h.GetHashAndReset()[0];
    }

    /// <summary><c>cm verify</c> of the tensor trace: every line parsed and hashed, every tensor decoded, hashed and the step recomputed.</summary>
    [Benchmark]
    public bool VerifyTensors() => TraceFile.Verify(_tensors, NoiseSources.Regenerate).Failure.IsNone ? true : throw new InvalidOperationException("verify failed");

    /// <summary><c>cm verify</c> of the hash-only trace.</summary>
    [Benchmark]
    public bool VerifyHashes() => TraceFile.Verify(_hashes, NoiseSources.Regenerate).Failure.IsNone ? true : throw new InvalidOperationException("verify failed");

    /// <summary><c>cm diff</c> of the tensor trace with itself (every line of both files read and parsed).</summary>
    [Benchmark]
    public bool DiffTensors() => TraceFile.Diff(_tensors, _tensors).Match(d => d.IsNone, _ => false);
}
