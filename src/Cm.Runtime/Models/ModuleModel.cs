using TorchSharp;

namespace Cm.Runtime.Models;

/// <summary>
/// Wraps a TorchSharp module taking <c>(x, t)</c> (unconditional) or <c>(x, t, labels)</c> (class-conditional),
/// with <c>t</c> as in the <see cref="IModel"/> convention. Identity is <c>module:&lt;name&gt;</c>.
/// Disposing this disposes the module.
/// </summary>
public sealed class ModuleModel : IModel, IDisposable
{
    private readonly torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor>? _unconditional;
    private readonly torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor?, torch.Tensor>? _conditional;
    private readonly torch.nn.Module _module;

    /// <summary>An unconditional module <c>forward(x, t)</c>.</summary>
    public ModuleModel(string name, torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor> module)
    {
        _unconditional = module ?? throw new ArgumentNullException(nameof(module));
        _module = module;
        Identity = "module:" + (name ?? throw new ArgumentNullException(nameof(name)));
    }

    /// <summary>A class-conditional module <c>forward(x, t, labels)</c> (labels may be null).</summary>
    public ModuleModel(string name, torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor?, torch.Tensor> module)
    {
        _conditional = module ?? throw new ArgumentNullException(nameof(module));
        _module = module;
        Identity = "module:" + (name ?? throw new ArgumentNullException(nameof(name)));
    }

    /// <inheritdoc />
    public string Identity { get; }

    /// <inheritdoc />
    public torch.Tensor Forward(torch.Tensor scaledSample, double timestep, torch.Tensor? classLabels)
    {
        if (_unconditional is not null && classLabels is not null)
            throw new ModelCallException(Identity,
                $"Model '{Identity}' is unconditional (forward(x, t)) but class labels were given.");
        using var t = ModelConvention.TimestepTensor(scaledSample, timestep);
        var output = _conditional is not null
            ? _conditional.call(scaledSample, t, classLabels)
            : _unconditional!.call(scaledSample, t);
        return ModelConvention.CheckOutput(Identity, scaledSample, output);
    }

    /// <inheritdoc />
    public void Dispose() => _module.Dispose();
}
