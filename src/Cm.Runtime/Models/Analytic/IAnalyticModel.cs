namespace Cm.Runtime.Models.Analytic;

/// <summary>
/// A model whose consistency function is known in closed form or by numerical integration of an exactly
/// known probability-flow ODE (docs/analytic-models.md). Adds to <see cref="IModel"/> what a caller needs
/// to sample from it without a checkpoint: the sample shape it accepts and its classes.
/// </summary>
public interface IAnalyticModel : IModel, IDisposable
{
    /// <summary>The per-sample shape <c>[C, H, W]</c> the model requires, or null when any shape works.</summary>
    long[]? SampleShape { get; }

    /// <summary>Number of classes accepted as labels (labels in <c>[0, ClassCount)</c>); 0 when the model takes no labels.</summary>
    int ClassCount { get; }

    /// <summary>
    /// Whether <see cref="IModel.Forward(TorchSharp.torch.Tensor, double, TorchSharp.torch.Tensor)"/> is the exact consistency function (up to float32 rounding, or the
    /// stated ODE tolerance), rather than a deliberate approximation such as a one-step denoiser.
    /// </summary>
    bool IsExact { get; }
}
