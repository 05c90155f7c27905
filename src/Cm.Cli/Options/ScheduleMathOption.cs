using Cm.Pure.Errors;
using Cm.Pure.Schedules.Arithmetic;
using Cm.Runtime.Configs;
using LanguageExt;

namespace Cm.Cli.Options;

/// <summary><c>--schedule-math NAME</c>: the effective config under the named schedule arithmetic (default glibc).</summary>
public static class ScheduleMathOption
{
    /// <summary>The loaded config with the arithmetic applied, or why the name or the config does not fit.</summary>
    public static Fin<LoadedConfig> Apply(LoadedConfig loaded, string? name) =>
        (name is null
            ? Prelude.FinSucc(ScheduleMath.Glibc)
            : ScheduleMathNames.Parse(name).ToFin(new UnknownScheduleMath(name, ScheduleMathNames.Choices)))
        .Bind(math => loaded.Valid.WithScheduleMath(math))
        .Map(valid => loaded with { Valid = valid });
}
