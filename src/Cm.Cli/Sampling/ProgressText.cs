using System.Diagnostics.Contracts;
using System.Globalization;

namespace Cm.Cli.Sampling;

/// <summary>The words of progress: step i/n, elapsed time, rate and the estimated time left (rate = i / elapsed).</summary>
public static class ProgressText
{
    /// <summary><c>cm: step 3/40, 1.2 s elapsed, 2.50 steps/s, ETA 14.8 s</c> (no rate or ETA before the first step ends).</summary>
    [Pure]
    public static string Line(int done, int total, TimeSpan elapsed)
    {
        var s = elapsed.TotalSeconds;
        var head = $"cm: step {done}/{total}, {Seconds(s)} elapsed";
        if (done < 1 || s <= 0) return head;
        var rate = done / s;
        return head + $", {Rate(rate)}, ETA {Seconds((total - done) / rate)}";
    }

    /// <summary><c>2.50 steps/s</c>, or <c>1.7 s/step</c> when slower than one step a second.</summary>
    [Pure]
    public static string Rate(double stepsPerSecond) =>
        stepsPerSecond >= 1 || stepsPerSecond <= 0
            ? stepsPerSecond.ToString("0.00", CultureInfo.InvariantCulture) + " steps/s"
            : (1 / stepsPerSecond).ToString("0.0", CultureInfo.InvariantCulture) + " s/step";

    /// <summary><c>14.8 s</c>, <c>2 min 05 s</c>.</summary>
    [Pure]
    public static string Seconds(double s) =>
        s < 60 ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : $"{(int)(s / 60)} min {(int)(s % 60):00} s";
}
