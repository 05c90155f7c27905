// CUDA check of Cm's runtime (docs/cuda.md). Runs Pipeline.Run on the CPU and on CUDA for a few requests and
// compares the runs step by step; replays each CPU step's inputs through TensorStep on CUDA; and runs the
// device op sequence (TensorStep.ApplyOps, TensorStep.ScaleInput) on CUDA against the pure step on a
// million random inputs, special values included. Prints one JSON report to stdout and, when $OUT (or the
// first argument) names a folder, writes it there as gpucheck.json.
//
// Environment:
//   CM_TORCH_LIB   a folder of libtorch libraries to load before TorchSharp does (e.g. a PyTorch install's
//                  torch/lib); each of libc10, libtorch_cpu, libc10_cuda, libtorch_cuda, libtorch that exists
//                  there is loaded by full path, then the app's own libLibTorchSharp.so.
//   CM_DEVICE      the device to compare with the CPU (default cuda).
//
// Exit codes: 0 every hard expectation held; 1 one failed (see "verdict"); 2 the native libraries did not
// load; 3 the device is not available.

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Models;
using Cm.Runtime.Native;
using Cm.Runtime.Sampling;
using TorchSharp;

namespace Cm.GpuCheck;

public static class Program
{
    private static readonly JsonObject Report = new();

    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "--scalars") return WriteScalars(args[1]);
        var outDir = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("OUT");
        var deviceText = Environment.GetEnvironmentVariable("CM_DEVICE") ?? "cuda";
        Report["tool"] = "Cm GpuCheck";
        Report["cm_version"] = Pipeline.LibraryVersion;
        Report["torchsharp_libtorch_version"] = "(set after load)";
        Report["dotnet"] = RuntimeInformation.FrameworkDescription;
        Report["device_asked"] = deviceText;
        var code = 0;
        try
        {
            code = Run(deviceText);
        }
        catch (Exception e)
        {
            Report["exception"] = e.ToString();
            code = 1;
        }
        Report["exit_code"] = code;
        var json = Report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(json);
        if (!string.IsNullOrEmpty(outDir))
        {
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, "gpucheck.json"), json);
        }
        return code;
    }

    private static int Run(string deviceText)
    {
        // 1. Native libraries.
        var loads = new JsonArray();
        Report["native_loads"] = loads;
        var torchLib = Environment.GetEnvironmentVariable("CM_TORCH_LIB");
        if (!string.IsNullOrEmpty(torchLib))
        {
            foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so" })
            {
                var path = Path.Combine(torchLib, name);
                if (File.Exists(path)) loads.Add(Load(path));
            }
            var own = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
            var result = Load(own);
            loads.Add(result);
            if (!(bool)result["ok"]!)
            {
                Report["verdict"] = "libLibTorchSharp.so did not load against the libtorch in CM_TORCH_LIB";
                return 2;
            }
        }
        Progress("TorchNative.EnsureLoaded");
        var loaded = TorchNative.EnsureLoaded();
        if (loaded.IsFail)
        {
            Report["torch_native"] = loaded.Match(_ => "", e => e.Message);
            Report["verdict"] = "TorchNative.EnsureLoaded failed";
            return 2;
        }
        Report["torchsharp_libtorch_version"] = torch.__version__;
        Progress("torch.cuda.is_available");
        var cudaAvailable = torch.cuda.is_available();
        Progress($"cuda available: {cudaAvailable}");
        Report["cuda_available"] = cudaAvailable;
        Report["cuda_device_count"] = cudaAvailable ? torch.cuda.device_count() : 0;
        Report["cudnn_available"] = cudaAvailable && torch.cuda.is_cudnn_available();

        var spec = Fin(DeviceSpec.Parse(deviceText));
        var resolved = spec.Resolve();
        if (resolved.IsFail)
        {
            Report["device_resolve"] = resolved.Match(_ => "", e => e.Message);
            Report["verdict"] = $"device '{deviceText}' is not available";
            return 3;
        }
        var device = Fin(resolved);
        Report["device_resolved"] = device.ToString();

        // 2. Whole runs, CPU vs device.
        var failures = new List<string>();
        var runs = new JsonArray();
        Report["runs"] = runs;
        var item = Shape.Of(3, 16, 16);
        const int batch = 4;
        foreach (var modelName in new[] { "affine", "tanh" })
        foreach (var schedule in new[] { TimestepSpec.OfIndices(22, 0), TimestepSpec.OfSteps(4), TimestepSpec.OfSteps(40) })
        foreach (var noise in new[] { new NoiseSpec(NoiseKind.Torch, 0), new NoiseSpec(NoiseKind.Philox, 7) })
        {
            var request = new SamplingRequest(ValidConfig.Default, schedule, batch, item, noise, LabelSpec.Unconditional, DeviceSpec.Cpu);
            Progress($"run {modelName} {schedule} {noise}");
            var cpu = Record(request, modelName);
            var dev = Record(request with { Device = spec }, modelName);
            var r = CompareRuns(cpu, dev);
            r["model"] = modelName;
            r["schedule"] = schedule.ToString();
            r["noise"] = noise.ToString();
            r["cpu_ms"] = cpu.Milliseconds;
            r["device_ms"] = dev.Milliseconds;
            runs.Add(r);
            var label = $"{modelName} {schedule} {noise}";
            if (!(bool)r["noise_bit_identical"]!) failures.Add($"{label}: noise differs between cpu and {device}");
            if (!(bool)r["initial_bit_identical"]!) failures.Add($"{label}: initial sample differs");
            // The affine model uses only correctly rounded float32 ops, so the whole run must match bit for bit.
            if (modelName == "affine" && !(bool)r["final_bit_identical"]!) failures.Add($"{label}: final sample differs (affine model)");

            // 3. Replay: each CPU step's recorded inputs through the device path.
            var replay = Replay(cpu, device, ValidConfig.Default.ClipDenoised);
            r["replay"] = replay;
            if ((long)replay["differing"]! != 0) failures.Add($"{label}: device replay of the CPU steps differs");
        }

        // 4. The device op sequence against the pure step on random inputs with special values.
        Progress("stress");
        var stress = Stress(device);
        Report["stress"] = stress;
        if ((long)stress["differing"]! != 0) failures.Add("stress: ApplyOps/ScaleInput on the device differ from the pure step");

        Report["failures"] = new JsonArray(failures.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
        Report["verdict"] = failures.Count == 0
            ? $"all hard expectations held on {device}: identical noise, affine runs bit-identical, replayed and random steps bit-equal"
            : $"{failures.Count} expectation(s) failed";
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>
    /// Writes Cm's step scalars (default config; schedules [22,0], 4 and 40 steps) as float32 bit patterns, for
    /// cuda_ops_check.py. Needs no libtorch.
    /// </summary>
    private static int WriteScalars(string path)
    {
        var config = ValidConfig.Default;
        var list = new JsonArray();
        foreach (var spec in new[] { TimestepSpec.OfIndices(22, 0), TimestepSpec.OfSteps(4), TimestepSpec.OfSteps(40) })
        {
            var schedule = Fin(Schedule.Create(config, spec));
            for (var i = 0; i < schedule.Steps; i++)
            {
                var s = StepScalars.At(config, schedule, i);
                static uint B(float f) => BitConverter.SingleToUInt32Bits(f);
                list.Add(new JsonObject
                {
                    ["schedule"] = spec.ToString(), ["index"] = i, ["timestep"] = s.Timestep,
                    ["c_out"] = B(s.COut), ["c_skip"] = B(s.CSkip), ["s_noise"] = B(s.SNoise),
                    ["noise_scale"] = B(s.NoiseScale), ["input_divisor"] = B(s.InputDivisor), ["draws_noise"] = s.DrawsNoise,
                });
            }
        }
        File.WriteAllText(path, new JsonObject { ["clip_denoised"] = config.ClipDenoised, ["steps"] = list }.ToJsonString());
        return 0;
    }

    /// <summary>A progress line on stderr, flushed at once (so a native crash still shows how far the run got).</summary>
    private static void Progress(string line)
    {
        Console.Error.WriteLine($"[gpucheck] {line}");
        Console.Error.Flush();
    }

    private static JsonObject Load(string path)
    {
        Progress($"loading {path}");
        try
        {
            NativeLibrary.Load(path);
            return new JsonObject { ["path"] = path, ["ok"] = true };
        }
        catch (Exception e)
        {
            return new JsonObject { ["path"] = path, ["ok"] = false, ["error"] = e.Message };
        }
    }

    private static T Fin<T>(LanguageExt.Fin<T> f) => f.Match(x => x, e => throw new InvalidOperationException(e.Message));

    // ---- whole runs ---------------------------------------------------------------------------------

    private sealed record Recorded(
        Tensor<float> Initial, List<StepRecord> Steps, List<Tensor<float>> Scaled, Tensor<float> Final, long Milliseconds);

    private sealed class Recorder : IStepObserver
    {
        public StepValues Values => StepValues.Kept;
        // The initial sample is the first step's input sample (the header no longer carries it).
        public Tensor<float>? Initial => Steps.Count > 0 ? Steps[0].Sample : null;
        public List<StepRecord> Steps { get; } = [];
        public LanguageExt.Fin<LanguageExt.Unit> OnStart(RunHeader header) => LanguageExt.Prelude.unit;
        public LanguageExt.Fin<LanguageExt.Unit> OnStep(StepRecord record) { Steps.Add(record); return LanguageExt.Prelude.unit; }
        public LanguageExt.Fin<LanguageExt.Unit> OnComplete(Tensor<float> finalSample) => LanguageExt.Prelude.unit;
    }

    private static Func<torch.Tensor, double, torch.Tensor> Model(string name) => name switch
    {
        // diffusers' fake model of the step-loop goldens; tanh is a libm/SLEEF function on the CPU and a CUDA
        // intrinsic on the GPU, so its ulps differ and the runs drift apart after the first step.
        "tanh" => (s, t) => torch.tanh(s).mul(0.9f).add((float)(0.01 * t)),
        // Only correctly rounded float32 products and sums: identical on any IEEE device.
        _ => (s, t) => s.mul(0.9f).add((float)(0.01 * t)),
    };

    private static Recorded Record(SamplingRequest request, string modelName)
    {
        var scaled = new List<Tensor<float>>();
        var f = Model(modelName);
        var model = new DelegateModel(modelName, (s, t, _) =>
        {
            scaled.Add(Pipeline.ToPure(s, request.BatchShape));
            return f(s, t);
        });
        var recorder = new Recorder();
        var clock = Stopwatch.StartNew();
        var result = Fin(Pipeline.Run(request, model, recorder));
        clock.Stop();
        return new Recorded(recorder.Initial!, recorder.Steps, scaled, result.Samples, clock.ElapsedMilliseconds);
    }

    private static JsonObject CompareRuns(Recorded cpu, Recorded dev)
    {
        var o = new JsonObject
        {
            ["steps"] = cpu.Steps.Count,
            ["initial_bit_identical"] = Diff.Of(cpu.Initial, dev.Initial).Differing == 0,
        };
        var noiseSteps = 0;
        var noiseOk = true;
        var stepsOk = cpu.Steps.Count == dev.Steps.Count;
        var quantities = new Dictionary<string, Diff>
        {
            ["scaled_input"] = Diff.None, ["model_output"] = Diff.None, ["denoised"] = Diff.None, ["next_sample"] = Diff.None,
        };
        var firstDiffering = new Dictionary<string, int>();
        var perStepUlp = new JsonArray();
        for (var i = 0; i < Math.Min(cpu.Steps.Count, dev.Steps.Count); i++)
        {
            var a = cpu.Steps[i];
            var b = dev.Steps[i];
            if (a.Noise.IsSome != b.Noise.IsSome) noiseOk = false;
            a.Noise.IfSome(na => b.Noise.IfSome(nb =>
            {
                noiseSteps++;
                if (Diff.Of(na, nb).Differing != 0) noiseOk = false;
            }));
            if (a.Scalars != b.Scalars) stepsOk = false;
            var step = new Dictionary<string, Diff>
            {
                ["scaled_input"] = Diff.Of(cpu.Scaled[i], dev.Scaled[i]),
                ["model_output"] = Diff.Of(a.ModelOutput, b.ModelOutput),
                ["denoised"] = Diff.Of(a.Denoised, b.Denoised),
                ["next_sample"] = Diff.Of(a.NextSample, b.NextSample),
            };
            foreach (var (k, d) in step)
            {
                quantities[k] = quantities[k].Max(d);
                if (d.Differing != 0 && !firstDiffering.ContainsKey(k)) firstDiffering[k] = i;
            }
            perStepUlp.Add(step["next_sample"].MaxUlp);
        }
        o["scalars_identical"] = stepsOk;
        o["noise_steps"] = noiseSteps;
        o["noise_bit_identical"] = noiseOk;
        foreach (var (k, d) in quantities)
        {
            var q = d.ToJson();
            q["first_differing_step"] = firstDiffering.TryGetValue(k, out var s) ? s : null;
            o[k] = q;
        }
        o["next_sample_max_ulp_per_step"] = perStepUlp;
        var final = Diff.Of(cpu.Final, dev.Final);
        o["final"] = final.ToJson();
        o["final_bit_identical"] = final.Differing == 0;
        return o;
    }

    // ---- replay of the CPU steps on the device ---------------------------------------------------

    private static JsonObject Replay(Recorded cpu, torch.Device device, bool clip)
    {
        long elements = 0, differing = 0;
        var worst = Diff.None;
        for (var i = 0; i < cpu.Steps.Count; i++)
        {
            var r = cpu.Steps[i];
            var shape = r.Sample.Shape;
            using var scope = torch.NewDisposeScope();
            var x = ToDevice(r.Sample, device);
            var scaled = torch.empty_like(x);
            TensorStep.ScaleInput(r.Scalars.InputDivisor, x, scaled);
            var ds = Diff.Of(cpu.Scaled[i], Pipeline.ToPure(scaled, shape));
            var mo = ToDevice(r.ModelOutput, device);
            var noise = r.Noise.Match(n => ToDevice(n, device), () => (torch.Tensor?)null);
            var den = torch.empty_like(x);
            TensorStep.ApplyOps(r.Scalars, clip, mo, x, noise, den);
            var dd = Diff.Of(r.Denoised, Pipeline.ToPure(den, shape));
            var dn = Diff.Of(r.NextSample, Pipeline.ToPure(x, shape));
            elements += 3L * shape.Count;
            differing += ds.Differing + dd.Differing + dn.Differing;
            worst = worst.Max(ds).Max(dd).Max(dn);
        }
        var o = worst.ToJson();
        o["elements_compared"] = elements;
        o["differing"] = differing;
        o["what"] = "each CPU step's sample/model output/noise on the device through TensorStep.ScaleInput and ApplyOps, vs the CPU (pure) results";
        return o;
    }

    private static torch.Tensor ToDevice(Tensor<float> t, torch.Device device) =>
        torch.tensor(t.ToArray(), t.Shape.Dims.Select(d => (long)d).ToArray(), dtype: torch.float32).to(device);

    // ---- random inputs with special values ------------------------------------------------------

    private static JsonObject Stress(torch.Device device)
    {
        const int n = 1 << 20;
        var rng = new Random(20260101);
        float[] Make(double scale)
        {
            var a = new float[n];
            for (var k = 0; k < n; k++)
            {
                var u = rng.NextDouble();
                a[k] = u switch
                {
                    < 0.002 => float.NaN,
                    < 0.004 => float.PositiveInfinity,
                    < 0.006 => float.NegativeInfinity,
                    < 0.010 => -0.0f,
                    < 0.014 => 0.0f,
                    < 0.020 => BitConverter.Int32BitsToSingle(rng.Next(1, 0x007F_FFFF)) * (rng.Next(2) == 0 ? -1 : 1), // subnormal
                    < 0.030 => (float)(rng.Next(2) == 0 ? 1.0 : -1.0) * (1f + (float)(rng.NextDouble() - 0.5) * 1e-6f), // near the clamp
                    < 0.035 => (float)((rng.NextDouble() - 0.5) * 6e38), // near overflow
                    _ => (float)(Gaussian(rng) * scale),
                };
            }
            return a;
        }
        var shape = Shape.Of(n);
        long[] dims = [n];
        var xs = Make(80.0);
        var fs = Make(3.0);
        var zs = Make(1.0);
        var config = ValidConfig.Default;
        var schedule = Fin(Schedule.Create(config, TimestepSpec.OfSteps(config.NumTrainTimesteps)));
        long elements = 0, differing = 0, bothNan = 0;
        var worst = Diff.None;
        var x = torch.tensor(xs, dims, dtype: torch.float32).to(device);
        var f = torch.tensor(fs, dims, dtype: torch.float32).to(device);
        var z = torch.tensor(zs, dims, dtype: torch.float32).to(device);
        var pureNext = new float[n];
        var pureDen = new float[n];
        var pureScaled = new float[n];
        var cases = 0;
        for (var i = 0; i < schedule.Steps; i++)
        {
            var s = StepScalars.At(config, schedule, i);
            // Input scaling.
            {
                using var scaled = torch.empty_like(x);
                TensorStep.ScaleInput(s.InputDivisor, x, scaled);
                StepKernel.ScaleInput(s.InputDivisor, xs, pureScaled);
                var d = Diff.Of(Tensor<float>.From(shape, pureScaled), Pipeline.ToPure(scaled, shape));
                (elements, differing, bothNan, worst) = (elements + n, differing + d.Differing, bothNan + d.BothNan, worst.Max(d));
                cases++;
            }
            foreach (var clip in new[] { true, false })
            foreach (var withNoise in new[] { true, false })
            {
                using var sample = x.clone();
                using var den = torch.empty_like(x);
                TensorStep.ApplyOps(s, clip, f, sample, withNoise ? z : null, den);
                StepKernel.Apply(s, clip, fs, xs, withNoise ? zs : ReadOnlySpan<float>.Empty, pureDen, pureNext);
                var dn = Diff.Of(Tensor<float>.From(shape, pureNext), Pipeline.ToPure(sample, shape));
                var dd = Diff.Of(Tensor<float>.From(shape, pureDen), Pipeline.ToPure(den, shape));
                elements += 2L * n;
                differing += dn.Differing + dd.Differing;
                bothNan += dn.BothNan + dd.BothNan;
                worst = worst.Max(dn).Max(dd);
                cases++;
            }
        }
        x.Dispose(); f.Dispose(); z.Dispose();
        var o = worst.ToJson();
        o["cases"] = cases;
        o["elements_compared"] = elements;
        o["differing"] = differing;
        o["both_nan_counted_equal"] = bothNan;
        o["what"] = $"{n} random float32 inputs (NaN, inf, -0, subnormals, near clamp, near overflow); every step of a " +
                    $"{config.NumTrainTimesteps}-step schedule; clip on/off, noise on/off; device TensorStep vs Cm.Pure StepKernel";
        return o;
    }

    private static double Gaussian(Random r)
    {
        var u1 = 1.0 - r.NextDouble();
        var u2 = r.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

/// <summary>Element differences of two float32 tensors: bits, absolute value, ulps (NaN vs NaN counts as equal).</summary>
internal readonly record struct Diff(long Differing, long BothNan, long NanMismatch, double MaxAbs, long MaxUlp, long Elements)
{
    public static Diff None => new(0, 0, 0, 0, 0, 0);

    public static Diff Of(Tensor<float> a, Tensor<float> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"sizes differ: {a.Count} vs {b.Count}");
        long differing = 0, bothNan = 0, nanMismatch = 0, maxUlp = 0;
        double maxAbs = 0;
        var x = a.Data;
        var y = b.Data;
        for (var k = 0; k < x.Length; k++)
        {
            var p = x[k];
            var q = y[k];
            if (float.IsNaN(p) || float.IsNaN(q))
            {
                if (float.IsNaN(p) && float.IsNaN(q)) bothNan++;
                else { nanMismatch++; differing++; maxUlp = long.MaxValue; maxAbs = double.PositiveInfinity; }
                continue;
            }
            var bp = BitConverter.SingleToInt32Bits(p);
            var bq = BitConverter.SingleToInt32Bits(q);
            if (bp == bq) continue;
            differing++;
            var ulp = Math.Abs(Ordered(bp) - Ordered(bq));
            if (ulp > maxUlp) maxUlp = ulp;
            var abs = Math.Abs((double)p - q);
            if (double.IsNaN(abs)) abs = double.PositiveInfinity; // inf - inf of one sign each side
            if (abs > maxAbs) maxAbs = abs;
        }
        return new Diff(differing, bothNan, nanMismatch, maxAbs, maxUlp, x.Length);
    }

    // Two's complement order of float bit patterns: -0 and +0 are one ulp apart.
    private static long Ordered(int bits) => bits < 0 ? (long)int.MinValue - bits - 1 : bits;

    public Diff Max(Diff o) => new(
        Differing + o.Differing, BothNan + o.BothNan, NanMismatch + o.NanMismatch,
        Math.Max(MaxAbs, o.MaxAbs), Math.Max(MaxUlp, o.MaxUlp), Elements + o.Elements);

    public JsonObject ToJson() => new()
    {
        ["elements"] = Elements,
        ["differing_elements"] = Differing,
        ["max_abs"] = double.IsFinite(MaxAbs) ? MaxAbs : MaxAbs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["max_ulp"] = MaxUlp,
        ["nan_mismatch"] = NanMismatch,
    };
}
