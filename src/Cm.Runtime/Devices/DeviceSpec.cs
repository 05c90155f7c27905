using Cm.Runtime.Errors;
using System.Globalization;
using Cm.Runtime.Native;
using LanguageExt;
using LanguageExt.Common;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Devices;

/// <summary>What kind of device a <see cref="DeviceSpec"/> asks for.</summary>
public enum DeviceKind
{
    /// <summary>CUDA when available, otherwise CPU.</summary>
    Auto,
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>A CUDA device (index 0 unless given).</summary>
    Cuda,
}

/// <summary>
/// A device request as text: <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>. Parsing is pure;
/// <see cref="Resolve()"/> asks TorchSharp at run time what is available and never falls back silently:
/// asking for CUDA where there is none is an error, not CPU.
/// </summary>
/// <param name="Kind">The kind of device.</param>
/// <param name="Index">The CUDA device index when given as <c>cuda:N</c>; null otherwise.</param>
public sealed record DeviceSpec(DeviceKind Kind, int? Index)
{
    /// <summary>Error code: the text is not a device.</summary>
    public const int ParseErrorCode = 0x434D_0101;
    /// <summary>Error code: CUDA was asked for and there is no usable CUDA.</summary>
    public const int CudaUnavailableCode = 0x434D_0102;
    /// <summary>Error code: <c>cuda:N</c> with N not below the CUDA device count.</summary>
    public const int CudaIndexOutOfRangeCode = 0x434D_0103;

    /// <summary>The accepted forms, for messages and help text.</summary>
    public const string Grammar = "auto | cpu | cuda | cuda:N (N = 0, 1, ...)";

    /// <summary><c>auto</c>.</summary>
    public static DeviceSpec Auto { get; } = new(DeviceKind.Auto, null);
    /// <summary><c>cpu</c>.</summary>
    public static DeviceSpec Cpu { get; } = new(DeviceKind.Cpu, null);
    /// <summary><c>cuda</c> (index 0).</summary>
    public static DeviceSpec Cuda { get; } = new(DeviceKind.Cuda, null);
    /// <summary><c>cuda:N</c>.</summary>
    public static DeviceSpec CudaAt(int index) =>
        index >= 0 ? new(DeviceKind.Cuda, index) : throw new ArgumentOutOfRangeException(nameof(index), "A CUDA index is 0 or more.");

    /// <summary>Parses the text form (case-insensitive, surrounding white space ignored).</summary>
    public static Fin<DeviceSpec> Parse(string? text)
    {
        var t = (text ?? "").Trim().ToLowerInvariant();
        switch (t)
        {
            case "auto": return Auto;
            case "cpu": return Cpu;
            case "cuda": return Cuda;
        }
        if (t.StartsWith("cuda:", StringComparison.Ordinal))
        {
            var digits = t["cuda:".Length..];
            if (digits.Length > 0 && digits.All(char.IsAsciiDigit)
                && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                return CudaAt(n);
            return FinFail<DeviceSpec>(new InvalidDevice(ParseErrorCode,
                $"Invalid CUDA device index in '{text}': expected cuda:N with N a device index 0, 1, ... (accepted: {Grammar})."));
        }
        return FinFail<DeviceSpec>(new InvalidDevice(ParseErrorCode,
            text is null || t.Length == 0
                ? $"No device given: expected one of {Grammar}."
                : $"Unknown device '{text}': expected one of {Grammar}."));
    }

    /// <summary>The text form; <c>Parse(x.ToString())</c> gives <c>x</c> back.</summary>
    public override string ToString() => Kind switch
    {
        DeviceKind.Auto => "auto",
        DeviceKind.Cpu => "cpu",
        DeviceKind.Cuda when Index is { } i => $"cuda:{i.ToString(CultureInfo.InvariantCulture)}",
        _ => "cuda",
    };

    /// <summary>
    /// Pure resolution against given facts about the machine: the device type and index to use.
    /// </summary>
    public Fin<(DeviceType Type, int Index)> Choose(bool cudaAvailable, int cudaDeviceCount)
    {
        switch (Kind)
        {
            case DeviceKind.Cpu:
                return (DeviceType.CPU, -1);
            case DeviceKind.Auto:
                return cudaAvailable && cudaDeviceCount > 0 ? (DeviceType.CUDA, 0) : (DeviceType.CPU, -1);
            default:
                if (!cudaAvailable || cudaDeviceCount <= 0)
                    return FinFail<(DeviceType, int)>(new InvalidDevice(CudaUnavailableCode,
                        $"Device '{this}' was asked for, but CUDA is not available in this process " +
                        "(no NVIDIA driver/GPU, or the build uses the CPU libtorch package). Use --device cpu or auto, " +
                        "or build with -p:CmLibTorch=cuda on a machine with CUDA; see docs/native-setup.md."));
                var index = Index ?? 0;
                if (index >= cudaDeviceCount)
                    return FinFail<(DeviceType, int)>(new InvalidDevice(CudaIndexOutOfRangeCode,
                        $"Device '{this}' was asked for, but only {cudaDeviceCount} CUDA device(s) exist " +
                        $"(valid: cuda:0 .. cuda:{cudaDeviceCount - 1})."));
                return (DeviceType.CUDA, index);
        }
    }

    /// <summary>Resolves against the running process (loads libtorch if needed).</summary>
    public Fin<torch.Device> Resolve() =>
        from _ in TorchNative.EnsureLoaded()
        from choice in Choose(torch.cuda.is_available(), torch.cuda.is_available() ? torch.cuda.device_count() : 0)
        select choice.Type == DeviceType.CPU ? torch.CPU : new torch.Device(choice.Type, choice.Index);
}
