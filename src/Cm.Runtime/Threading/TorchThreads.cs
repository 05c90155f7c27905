using System.Globalization;
using Cm.Runtime.Errors;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Threading;

/// <summary>
/// The number of libtorch intra-op (OpenMP) threads: a process-wide runtime setting.
/// </summary>
/// <remarks>
/// libtorch's default is one OpenMP thread per core. Cm's models run many small operations (the
/// analytic glyphs model does ~10⁴ operations on [N, 256] float64 tensors per run); every operation
/// that crosses an OpenMP parallel region waits at a barrier for all of its threads, and on a machine
/// whose cores are busy with other processes that barrier waits for a descheduled thread, a whole
/// scheduler time slice per operation. Measured (docs/performance.md): 64 samples × 40 steps took
/// 320 s with the default against 15 s with one thread on a loaded 2-core machine, and one thread is
/// not slower on an idle one. Hence the default: one thread unless asked (<c>--threads N</c> or
/// <see cref="Set"/>), or unless the user already chose through <c>OMP_NUM_THREADS</c>.
/// Results do not depend on the thread count for the analytic models (same bits, tested).
/// </remarks>
public static class TorchThreads
{
    /// <summary>The largest count accepted (far above any machine's cores; a typo guard).</summary>
    public const int MaxThreads = 1024;

    /// <summary>Cm's default intra-op thread count when nobody chose one.</summary>
    public const int Default = 1;

    /// <summary>The environment variable through which OpenMP users choose a count before Cm does.</summary>
    public const string OmpVariable = "OMP_NUM_THREADS";

    /// <summary>A thread count from text (<c>--threads</c>): a whole number in 1..<see cref="MaxThreads"/>.</summary>
    public static Fin<int> Parse(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxThreads
            ? FinSucc(n)
            : FinFail<int>(new InvalidThreadCount(text));

    /// <summary>
    /// The count to use: the one asked for, else none (leave libtorch alone) when <c>OMP_NUM_THREADS</c> is set
    /// (<paramref name="ompVariable"/>), else <see cref="Default"/>.
    /// </summary>
    public static Option<int> Choose(Option<int> requested, string? ompVariable) =>
        requested.IsSome ? requested
        : string.IsNullOrWhiteSpace(ompVariable) ? Some(Default)
        : None;

    /// <summary>Sets libtorch's intra-op thread count for this process (1..<see cref="MaxThreads"/>).</summary>
    public static Fin<int> Set(int threads)
    {
        if (threads is < 1 or > MaxThreads)
            return FinFail<int>(new InvalidThreadCount(threads.ToString(CultureInfo.InvariantCulture)));
        torch.set_num_threads(threads);
        return FinSucc(threads);
    }

    /// <summary>Applies <see cref="Choose"/> with this process's environment; returns the count libtorch now uses.</summary>
    public static Fin<int> Apply(Option<int> requested) =>
        Choose(requested, Environment.GetEnvironmentVariable(OmpVariable)).Match(
            Some: Set,
            None: () => FinSucc(Current));

    /// <summary>The intra-op thread count libtorch uses now.</summary>
    public static int Current => torch.get_num_threads();
}
