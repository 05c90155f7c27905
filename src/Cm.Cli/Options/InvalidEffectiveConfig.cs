using Cm.Pure.Config;
using Cm.Pure.Errors;
using LanguageExt;

namespace Cm.Cli.Options;

/// <summary>
/// The config from a file plus command-line overrides breaks the rules. Each problem names the diffusers
/// key and the option that sets it, so the fix is plain whichever side the bad value came from.
/// </summary>
public sealed record InvalidEffectiveConfig(string Source, Arr<ConfigProblem> Problems)
    : CmError($"invalid scheduler config ({Source}):" + string.Concat(Problems.Map(p => $"\n  - {p} (key {p.Key} in the file, or option {OptionName(p.Key)})")), ErrorKind.InvalidInput, 1105)
{
    /// <summary>The command-line option that overrides a diffusers key: <c>sigma_min</c> → <c>--sigma-min</c>.</summary>
    public static string OptionName(string key) => "--" + key.Replace('_', '-');
}
