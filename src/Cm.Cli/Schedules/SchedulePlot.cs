using Cm.Runtime.Images;
using System.Globalization;
using Cm.Cli.Rendering;

namespace Cm.Cli.Schedules;

/// <summary>
/// σ per step on a log₁₀ axis as a PNG, drawn by Cm itself (the bitmap font, lines and markers on an RGB image,
/// StbImageWriteSharp for the PNG): no native graphics library and no system fonts, so the same schedule gives the
/// same bytes on every machine, and the tool package carries no SkiaSharp.
/// </summary>
public static class SchedulePlot
{
    private static readonly (byte, byte, byte) Ink = (20, 20, 20);
    private static readonly (byte, byte, byte) Grid = (215, 215, 215);
    private static readonly (byte, byte, byte) Series = (31, 119, 180);
    private const int Scale = 2;

    /// <summary>The PNG bytes of the plot of sigmas[0..n] (the last one is σ_min, where sampling ends).</summary>
    public static byte[] Render(ScheduleView v, int width = 800, int height = 500)
    {
        var sigmas = v.Schedule.Sigmas;
        var logs = sigmas.Select(s => Math.Log10(Math.Max(s, double.Epsilon))).ToArray();
        var top = Math.Ceiling(logs.Max());
        var bottom = Math.Floor(logs.Min());
        if (top <= bottom) top = bottom + 1;

        var image = Canvas.Blank(width, height);
        const int left = 90, right = 30, titleBand = 50, bottomBand = 60;
        var plotW = width - left - right;
        var plotH = height - titleBand - bottomBand;
        var n = Math.Max(1, sigmas.Length - 1);
        int X(double i) => left + (int)Math.Round(i / n * plotW);
        int Y(double log) => titleBand + (int)Math.Round((top - log) / (top - bottom) * plotH);

        // Decades: a grid line and a label each (1E+1, 1E+0, 1E-1, ...).
        for (var d = bottom; d <= top; d++)
        {
            Canvas.Line(image, left, Y(d), left + plotW, Y(d), 1, Grid);
            var label = "1E" + (d >= 0 ? "+" : "-") + Math.Abs(d).ToString(CultureInfo.InvariantCulture);
            Canvas.Text(image, label, left - 10 - Canvas.TextWidth(label, Scale), Y(d) - 5, Scale, left, Ink);
        }
        // Steps: a tick and a label at up to ten evenly spaced integers.
        var every = Math.Max(1, (int)Math.Ceiling(n / 10.0));
        for (var i = 0; i <= n; i += every)
        {
            Canvas.Line(image, X(i), titleBand + plotH, X(i), titleBand + plotH + 6, 1, Ink);
            var label = i.ToString(CultureInfo.InvariantCulture);
            Canvas.Text(image, label, X(i) - Canvas.TextWidth(label, Scale) / 2, titleBand + plotH + 12, Scale, 60, Ink);
        }
        Canvas.Line(image, left, titleBand, left, titleBand + plotH, 2, Ink);
        Canvas.Line(image, left, titleBand + plotH, left + plotW, titleBand + plotH, 2, Ink);

        for (var i = 1; i < sigmas.Length; i++)
            Canvas.Line(image, X(i - 1), Y(logs[i - 1]), X(i), Y(logs[i]), 2, Series);
        for (var i = 0; i < sigmas.Length; i++)
            Canvas.Square(image, X(i), Y(logs[i]), 3, Series);

        var title = $"SIGMA PER STEP ({v.Schedule.Spec}, N = {v.Config.NumTrainTimesteps}, RHO = {v.Config.Rho.ToString(CultureInfo.InvariantCulture)})";
        Canvas.Text(image, title, left, 16, Scale, width - left, Ink);
        Canvas.Text(image, "STEP I (THE LAST POINT IS SIGMA_MIN, AFTER THE FINAL STEP)", left, height - 22, Scale, width - left, Ink);
        return PngEncoding.Encode(image);
    }
}
