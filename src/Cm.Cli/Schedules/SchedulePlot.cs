using ScottPlot;
using ScottPlot.TickGenerators;

namespace Cm.Cli.Schedules;

/// <summary>
/// σ per step on a log axis as a PNG (ScottPlot, rendered by SkiaSharp without a display). Deterministic
/// for a given schedule; fonts come from the system (fonts-dejavu-core on Debian).
/// </summary>
public static class SchedulePlot
{
    /// <summary>The PNG bytes of the plot of sigmas[0..n] (the last one is σ_min, where sampling ends).</summary>
    public static byte[] Render(ScheduleView v, int width = 800, int height = 500)
    {
        var sigmas = v.Schedule.Sigmas;
        double[] xs = [.. Enumerable.Range(0, sigmas.Length).Select(i => (double)i)];
        double[] ys = [.. sigmas.Select(s => Math.Log10(s))];

        var plot = new Plot();
        var line = plot.Add.Scatter(xs, ys);
        line.MarkerSize = 7;
        line.LineWidth = 2;
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => Math.Pow(10, y).ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        plot.Title($"σ per step ({v.Schedule.Spec}, N = {v.Config.NumTrainTimesteps}, ρ = {v.Config.Rho})");
        plot.XLabel("step i (the last point is σ_min, after the final step)");
        plot.YLabel("σ (log scale)");
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
