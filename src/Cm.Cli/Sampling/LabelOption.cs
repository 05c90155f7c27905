using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using System.Globalization;
using Cm.Runtime.Sampling;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Sampling;

/// <summary><c>--class-labels</c>: a list, <c>random</c>, or nothing, checked against the model's classes.</summary>
public static class LabelOption
{
    /// <summary>
    /// Reads the option's text into a label specification for a model with <paramref name="classes"/> classes
    /// (0: unconditional only, -1: unknown). Only the syntax is checked here, and that <c>random</c> knows how many
    /// classes to draw from; counts and ranges are checked once, by <see cref="SamplingPlan.Create(SamplingRequest, Option{int})"/>.
    /// </summary>
    [Pure]
    public static Fin<LabelSpec> Parse(string? text, int classes, string model)
    {
        if (text is null) return FinSucc(LabelSpec.Unconditional);
        if (text.Trim().Equals("random", StringComparison.OrdinalIgnoreCase))
            return classes >= 0
                ? FinSucc<LabelSpec>(new LabelSpec.Drawn(classes))
                : FinFail<LabelSpec>(new UsageProblem($"--class-labels random: the model {model} does not say how many classes it has; give the labels, e.g. 3,1,4"));
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var labels = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]))
                return FinFail<LabelSpec>(new UsageProblem($"--class-labels '{text}': item {i + 1} ('{parts[i]}') is not a non-negative integer; give e.g. 3,1,4 or 'random'"));
        return FinSucc<LabelSpec>(new LabelSpec.Given([.. labels]));
    }
}
