using Cm.Runtime.Errors;
using LanguageExt;
using LanguageExt.Common;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Native;

/// <summary>
/// One-time check that TorchSharp's native side (libLibTorchSharp + libtorch) loads in this process.
/// Call it before any other TorchSharp use to turn a native load failure into a clear, typed error.
/// </summary>
public static class TorchNative
{
    /// <summary>Error code of <see cref="EnsureLoaded"/> failures.</summary>
    public const int LoadFailedCode = 0x434D_0001;

    private static readonly Lazy<Fin<Unit>> Loaded = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Succeeds when libtorch is loaded and can make a tensor; the probe runs once per process and
    /// its result (success or the error) is remembered.
    /// </summary>
    public static Fin<Unit> EnsureLoaded() => Loaded.Value;

    private static Fin<Unit> Probe()
    {
        try
        {
            using var probe = torch.zeros(1, dtype: torch.float32);
            return probe.numel() == 1
                ? FinSucc(unit)
                : FinFail<Unit>(new NativeLoadFailed(LoadFailedCode, "libtorch loaded but a probe tensor had the wrong size."));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                       or TypeInitializationException or NotSupportedException or InvalidOperationException
                                       or System.Runtime.InteropServices.ExternalException)
        {
            return FinFail<Unit>(new NativeLoadFailed(LoadFailedCode, Describe(e)));
        }
    }

    private static string Describe(Exception e)
    {
        var chain = string.Join(" <- ", Chain(e).Select(x => $"{x.GetType().Name}: {x.Message}"));
        return "TorchSharp could not load its native libraries (libLibTorchSharp / libtorch). " +
               "Likely causes: (1) on Linux with an older libstdc++ (e.g. Debian 12, which lacks GLIBCXX_3.4.32), " +
               "the build step that patches the output's libLibTorchSharp.so did not run (build through the repository, " +
               "so Directory.Build.targets is imported, and do not copy the NuGet cache's file over the output); " +
               "(2) no libtorch-* native package is referenced (Cm.Runtime references libtorch-cpu-linux-x64, or " +
               "libtorch-cuda-12.8-linux-x64 with -p:CmLibTorch=cuda). See docs/native-setup.md. Details: " + chain;
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }
}
