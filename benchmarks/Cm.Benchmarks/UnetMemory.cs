using System.Diagnostics;
using System.Globalization;
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
/// <c>-- --unet-memory [f32|f16]</c>: peak resident memory (VmHWM of /proc/self/status) of this fresh process
/// while Cm's strict loader reads the full-size ImageNet-64 safetensors file (F32 1.18 GB, or its F16 variant,
/// converted to F32 on load) into the native module, and then during one sampling step (batch 1, then batch 4),
/// against the file size and the parameters' own bytes. Memory, not time: the machine's load does not matter.
/// </summary>
internal static class UnetMemory
{
    private const long Parameters = 295_899_267;

    public static int Run(string variant)
    {
        var weights = variant == "f16" ? UnetArtifacts.Fp16Weights : UnetArtifacts.Weights;
        if (!File.Exists(weights) || !File.Exists(UnetArtifacts.Config))
        {
            Console.WriteLine(UnetArtifacts.HowToMake());
            return 2;
        }
        var inv = CultureInfo.InvariantCulture;
        var fileBytes = new FileInfo(weights).Length;
        var paramBytes = Parameters * sizeof(float);
        string Mb(long b) => (b / 1e6).ToString("#,0", inv) + " MB";
        Console.WriteLine($"UNet peak memory, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, pid {Environment.ProcessId}");
        Console.WriteLine($"  file            {weights}");
        Console.WriteLine($"  file size       {Mb(fileBytes)} ({fileBytes:#,0} bytes)");
        Console.WriteLine($"  F32 parameters  {Mb(paramBytes)} ({Parameters:#,0} × 4 bytes)");

        TorchNative.EnsureLoaded().IfFail(e => throw new InvalidOperationException(e.Message));
        using (var warm = torch.ones(4) + 1) { }  // libtorch's own start-up allocations before the baseline
        var (hwm0, rss0) = Status();
        Console.WriteLine(string.Create(inv, $"  {"start (runtime + libtorch)",-58} VmHWM {hwm0 / 1e6,7:#,0} MB  VmRSS {rss0 / 1e6,7:#,0} MB"));

        var clock = Stopwatch.StartNew();
        using var model = UnetModel.Load(UnetArtifacts.Config, weights, torch.CPU)
            .Match(m => m, e => throw new InvalidOperationException(e.Message));
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var (hwm1, rss1) = Status();
        Report($"after UnetModel.Load ({loadSeconds:0.0} s)", hwm1, rss1, hwm0, paramBytes, fileBytes);

        var config = Cm.Pure.Config.ConfigValidation.ValidateFin(Cm.Pure.Config.SchedulerConfig.Default)
            .Match(v => v, e => throw new InvalidOperationException(e.Message));
        foreach (var batch in new[] { 1, 4 })
        {
            var request = new SamplingRequest(config, TimestepSpec.OfIndices(22), batch, Shape.Of(3, 64, 64),
                new NoiseSpec(NoiseKind.Torch, 0), new LabelSpec.Given([.. Enumerable.Range(0, batch)]), DeviceSpec.Cpu);
            clock.Restart();
            var steps = Pipeline.Run(request, model).Match(r => r.Steps, e => throw new InvalidOperationException(e.Message));
            var (hwm, rss) = Status();
            Report($"after a {steps}-step run, batch {batch} ({clock.Elapsed.TotalSeconds:0.0} s, {torch.get_num_threads()} threads)", hwm, rss, hwm0, paramBytes, fileBytes);
        }
        Console.WriteLine("  (peak above start = VmHWM − start's VmHWM; the load's extra = that − the F32 parameters' bytes)");
        return 0;
    }

    private static void Report(string stage, long hwm, long rss, long hwm0, long paramBytes, long fileBytes)
    {
        var inv = CultureInfo.InvariantCulture;
        var above = hwm - hwm0;
        Console.WriteLine(string.Create(inv,
            $"  {stage,-58} VmHWM {hwm / 1e6,7:#,0} MB  VmRSS {rss / 1e6,7:#,0} MB  peak above start {above / 1e6,7:#,0} MB " +
            $"= {(double)above / fileBytes:0.00}× the file, extra over the parameters {(above - paramBytes) / 1e6:#,0} MB"));
    }

    /// <summary>VmHWM and VmRSS of this process in bytes.</summary>
    private static (long Hwm, long Rss) Status()
    {
        long hwm = 0, rss = 0;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line);
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
        }
        return (hwm, rss);

        static long Kb(string line) =>
            long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
