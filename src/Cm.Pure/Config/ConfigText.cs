using System.Diagnostics.Contracts;
using System.Globalization;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Config;

/// <summary>
/// A setting from text, as a command-line override gives it (<c>40</c>, <c>0.002</c>, <c>1e-3</c>, <c>true</c>):
/// only the type is checked here, so that an override and a config file are judged by the same value rules.
/// </summary>
public static class ConfigText
{
    /// <summary>
    /// <paramref name="c"/> with <paramref name="key"/> set from <paramref name="text"/>, or the problem
    /// (an unknown key included).
    /// </summary>
    [Pure]
    public static Either<ConfigProblem, SchedulerConfig> Read(SchedulerConfig c, string key, string text) =>
        ConfigFields.Find(key).Match(
            Some: f => Read(c, f, text),
            None: () => Left<ConfigProblem, SchedulerConfig>(new ConfigProblem(key, text,
                $"a scheduler setting ({string.Join(", ", ConfigKeys.Settings)})")));

    private static Either<ConfigProblem, SchedulerConfig> Read(SchedulerConfig c, ConfigField f, string text)
    {
        var problem = Left<ConfigProblem, SchedulerConfig>(new ConfigProblem(f.Key, text, f.Allowed));
        var t = text.Trim();
        return f switch
        {
            ConfigField.Integer i => int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? i.With(c, v) : problem,
            ConfigField.Number n => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? n.With(c, d) : problem,
            ConfigField.Boolean b => bool.TryParse(t, out var v) ? b.With(c, v) : problem,
            _ => throw new System.Diagnostics.UnreachableException(),
        };
    }
}
