using System.Collections.Immutable;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Schedules.Arithmetic;

/// <summary>The one spelling of each <see cref="ScheduleMath"/> (command line, config, trace header).</summary>
public static class ScheduleMathNames
{
    /// <summary>Every variant, the default first.</summary>
    public static ImmutableArray<ScheduleMath> All { get; } = [ScheduleMath.Glibc, ScheduleMath.NumpyAvx512];

    /// <summary>"glibc" or "numpy-avx512".</summary>
    public static string Name(this ScheduleMath math) => math switch
    {
        ScheduleMath.Glibc => "glibc",
        ScheduleMath.NumpyAvx512 => "numpy-avx512",
        _ => throw new ArgumentOutOfRangeException(nameof(math), math, "unknown schedule arithmetic"),
    };

    /// <summary>The variant a name spells (exact, lower case), if any.</summary>
    public static Option<ScheduleMath> Parse(string? name)
    {
        foreach (var m in All)
            if (string.Equals(m.Name(), name, StringComparison.Ordinal)) return Some(m);
        return None;
    }

    /// <summary>"glibc, numpy-avx512": for messages that list the choices.</summary>
    public static string Choices => string.Join(", ", All.Select(Name));
}
