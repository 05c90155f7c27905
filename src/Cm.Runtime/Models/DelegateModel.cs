using TorchSharp;

namespace Cm.Runtime.Models;

/// <summary>A model given as a function (tests, analytic denoisers). Identity is <c>delegate:&lt;name&gt;</c>.</summary>
public sealed class DelegateModel(string name, Func<torch.Tensor, double, torch.Tensor?, torch.Tensor> forward) : IModel
{
    private readonly Func<torch.Tensor, double, torch.Tensor?, torch.Tensor> _forward =
        forward ?? throw new ArgumentNullException(nameof(forward));

    /// <inheritdoc />
    public string Identity { get; } = "delegate:" + (name ?? throw new ArgumentNullException(nameof(name)));

    /// <inheritdoc />
    public torch.Tensor Forward(torch.Tensor scaledSample, double timestep, torch.Tensor? classLabels) =>
        ModelConvention.CheckOutput(Identity, scaledSample, _forward(scaledSample, timestep, classLabels));
}
