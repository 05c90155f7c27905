using Cm.Pure.Errors;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// The first thing wrong with a trace: where (line, and step when the line is a step), which field, what
/// was expected and what was found. Every rejection of a trace, from unreadable bytes to a recomputed
/// sample that differs in one bit, is one of these.
/// </summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Step">The step index when the line is (or should be) a step record.</param>
/// <param name="Field">The field, e.g. <c>sigma</c>, <c>prev</c>, <c>tensors.next_sample[17]</c>, <c>line</c>.</param>
/// <param name="Expected">What a valid trace holds there.</param>
/// <param name="Found">What this trace holds there.</param>
public sealed record TraceFailure(int Line, Option<int> Step, string Field, string Expected, string Found)
    : CmError(Describe(Line, Step, Field, Expected, Found), ErrorKind.InvalidInput, 3001)
{
    /// <summary>The failure's one-line message: <c>line 5 (step 3): sigma: expected …, found …</c>.</summary>
    public static string Describe(int line, Option<int> step, string field, string expected, string found) =>
        $"line {line}{step.Match(s => $" (step {s})", () => "")}: {field}: expected {expected}, found {found}";

    /// <inheritdoc/>
    public override string ToString() => Message;
}
