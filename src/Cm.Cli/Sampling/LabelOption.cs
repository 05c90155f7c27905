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
    /// The labels for a model with <paramref name="classes"/> classes (0: unconditional only, -1: unknown).
    /// </summary>
    [Pure]
    public static Fin<LabelSpec> Parse(string? text, int classes, string model)
    {
        if (text is null) return FinSucc(LabelSpec.Unconditional);
        if (classes == 0)
            return FinFail<LabelSpec>(new UsageProblem($"--class-labels: the model {model} is unconditional and takes no labels; leave the option out"));
        if (text.Trim().Equals("random", StringComparison.OrdinalIgnoreCase))
            return classes > 0
                ? FinSucc<LabelSpec>(new LabelSpec.Drawn(classes))
                : FinFail<LabelSpec>(new UsageProblem($"--class-labels random: the model {model} does not say how many classes it has; add --num-classes N (e.g. --num-classes 1000 for ImageNet), or give the labels, e.g. 3,1,4"));
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var labels = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out labels[i]))
                return FinFail<LabelSpec>(new UsageProblem($"--class-labels '{text}': item {i + 1} ('{parts[i]}') is not a non-negative integer; give e.g. 3,1,4 or 'random'"));
            if (classes > 0 && labels[i] >= classes)
                return FinFail<LabelSpec>(new UsageProblem($"--class-labels: label {labels[i]} is out of range for {model}, whose classes are 0..{classes - 1}"));
        }
        return FinSucc<LabelSpec>(new LabelSpec.Given([.. labels]));
    }
}
