using System.Diagnostics.Contracts;
using System.Globalization;
using System.Text;
using Cm.Runtime.Text;

namespace Cm.Cli.Schedules;

/// <summary>One CSV row per step, header first, numbers exact (shortest round-trip decimals), newline-terminated.</summary>
public static class ScheduleCsv
{
    /// <summary>The column names.</summary>
    public const string Header = "i,index,timestep,sigma,sigma_next,sigma_hat,noise_scale,c_skip,c_out,input_divisor,draws_noise";

    /// <summary>The CSV text.</summary>
    [Pure]
    public static string Render(ScheduleView v)
    {
        var sb = new StringBuilder().Append(Header).Append('\n');
        foreach (var s in v.Steps)
            sb.Append(string.Join(',',
                s.Index.ToString(CultureInfo.InvariantCulture),
                v.Schedule.Indices[s.Index].ToString(CultureInfo.InvariantCulture),
                ShortestFloat.Format(s.Timestep),
                ShortestFloat.Format(s.Sigma),
                ShortestFloat.Format(s.SigmaNext),
                ShortestFloat.Format(s.SigmaHat),
                ShortestFloat.Format(s.NoiseScale),
                ShortestFloat.Format(s.CSkip),
                ShortestFloat.Format(s.COut),
                ShortestFloat.Format(s.InputDivisor),
                s.DrawsNoise ? "true" : "false")).Append('\n');
        return sb.ToString();
    }
}
