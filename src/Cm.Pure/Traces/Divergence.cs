using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>Where two traces first part: the line, the step when both lines are steps, the field and both values.</summary>
public sealed record Divergence(int Line, Option<int> Step, string Field, string A, string B)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"line {Line}{Step.Match(s => $" (step {s})", () => "")}: {Field}: a = {A}, b = {B}";
}
