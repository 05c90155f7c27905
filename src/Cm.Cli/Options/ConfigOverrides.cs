using System.Diagnostics.Contracts;
using Cm.Pure.Config;
using LanguageExt;

namespace Cm.Cli.Options;

/// <summary>Applies command-line overrides to a config: every bad value reported at once, naming its key.</summary>
public static class ConfigOverrides
{
    /// <summary>
    /// The config with each (key, text) override applied in turn and validated; on failure every problem,
    /// malformed overrides and broken rules alike (a malformed key is reported once).
    /// </summary>
    [Pure]
    public static Validation<ConfigProblem, ValidConfig> Apply(SchedulerConfig config, IEnumerable<(string Key, string Text)> overrides)
    {
        var problems = new List<ConfigProblem>();
        foreach (var (key, text) in overrides)
            ConfigText.Read(config, key, text).Match(Right: c => config = c, Left: problems.Add);
        return ConfigValidation.Validate(config, problems.ToSeq());
    }
}
