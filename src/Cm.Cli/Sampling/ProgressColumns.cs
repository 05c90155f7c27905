using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cm.Cli.Sampling;

/// <summary>The bar's <c>3/40</c> column: steps done of the run's steps.</summary>
public sealed class StepCountColumn : ProgressColumn
{
    /// <inheritdoc/>
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text($"step {task.Value:0}/{task.MaxValue:0}");
}

/// <summary>The bar's rate column (<see cref="ProgressText.Rate"/>), from the elapsed time and steps done.</summary>
public sealed class StepRateColumn : ProgressColumn
{
    /// <inheritdoc/>
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        task.ElapsedTime is { TotalSeconds: > 0 } e && task.Value > 0
            ? new Text(ProgressText.Rate(task.Value / e.TotalSeconds))
            : new Text("");
}
