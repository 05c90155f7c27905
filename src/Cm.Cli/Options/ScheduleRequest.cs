using System.Diagnostics.Contracts;
using System.Globalization;
using Cm.Pure.Errors;
using Cm.Pure.Schedules;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Options;

/// <summary>Turns <c>--steps</c> and <c>--timesteps</c> into a <see cref="TimestepSpec"/>; neither means the default 22,0.</summary>
public static class ScheduleRequest
{
    /// <summary>The request, or why it is malformed (both given, or a list that is not comma-separated integers).</summary>
    [Pure]
    public static Fin<TimestepSpec> From(int? steps, string? timesteps) =>
        (steps, timesteps) switch
        {
            (null, null) => ParseList(ScheduleSettings.DefaultTimesteps).Bind(list => TimestepSpec.FromOptional(null, list)),
            (_, null) => TimestepSpec.FromOptional(steps, null),
            (_, { } text) => ParseList(text).Bind(list => TimestepSpec.FromOptional(steps, list)),
        };

    /// <summary>The settings' request.</summary>
    [Pure]
    public static Fin<TimestepSpec> From(ScheduleSettings s) => From(s.Steps, s.Timesteps);

    /// <summary>Parses <c>"39,20,0"</c>; spaces around items are allowed.</summary>
    [Pure]
    public static Fin<int[]> ParseList(string text)
    {
        var items = text.Split(',');
        var result = new int[items.Length];
        for (var i = 0; i < items.Length; i++)
            if (!int.TryParse(items[i].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result[i]))
                return FinFail<int[]>(new InvalidSchedule(
                    $"--timesteps '{text}': item {i + 1} ('{items[i].Trim()}') is not an integer; give comma-separated training-grid indices, e.g. 22,0"));
        return FinSucc(result);
    }
}
