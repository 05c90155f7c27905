using TorchSharp;

namespace Cm.Runtime.Models;

/// <summary>
/// The one model interface of Cm: a consistency-model network evaluated at one timestep.
/// </summary>
/// <remarks>
/// <para><b>Calling convention</b> (shared by every adapter and by exported TorchScript files):</para>
/// <list type="bullet">
/// <item><c>scaledSample</c>: the already-scaled sample, shape <c>[N, C, H, W]</c>, on the model's device.</item>
/// <item><c>timestep</c>: the model's time input <c>t</c> (for Song et al. / diffusers consistency models,
/// <c>t = 1000 * 0.25 * ln(sigma + 1e-44)</c>). Adapters hand it to the network as a <b>float32 tensor of shape
/// <c>[N]</c></b> (the value repeated per batch item) on the sample's device, i.e. the double is rounded once
/// to float32, as diffusers' float32 scheduler timesteps are.</item>
/// <item><c>classLabels</c>: int64 tensor <c>[N]</c> of class indices for class-conditional models, or null
/// (TorchScript <c>None</c>) for unconditional ones.</item>
/// <item>Returns the raw network output with the sample's shape (before the consistency-model skip/out
/// scalings, which the sampler applies).</item>
/// </list>
/// <para>The TorchScript form is <c>forward(x: Tensor, t: Tensor, class_labels: Optional[Tensor]) -&gt; Tensor</c>;
/// see docs/export-diffusers-unet.md.</para>
/// </remarks>
public interface IModel
{
    /// <summary>Evaluates the network; see the type's remarks for the calling convention.</summary>
    torch.Tensor Forward(torch.Tensor scaledSample, double timestep, torch.Tensor? classLabels);

    /// <summary>
    /// Evaluates the model at one step of the core's schedule, the call every sampling loop makes. A network takes
    /// the step's timestep (this default); an analytic model takes the step's σ as the core computed it, so no
    /// model recovers σ from t.
    /// </summary>
    torch.Tensor Forward(torch.Tensor scaledSample, Cm.Pure.Sampling.StepScalars step, torch.Tensor? classLabels) =>
        Forward(scaledSample, step.Timestep, classLabels);

    /// <summary>
    /// A stable description of which network this is, for audit traces: e.g.
    /// <c>torchscript:sha256:&lt;hex&gt;</c>, <c>module:&lt;name&gt;</c>, <c>delegate:&lt;name&gt;</c>.
    /// </summary>
    string Identity { get; }
}

/// <summary>Helpers shared by the adapters.</summary>
public static class ModelConvention
{
    /// <summary>The TorchScript signature Cm calls.</summary>
    public const string TorchScriptSignature =
        "forward(x: Tensor, t: Tensor, class_labels: Optional[Tensor]) -> Tensor";

    /// <summary>The <c>t</c> tensor of the calling convention: float32, shape <c>[N]</c>, on the sample's device.</summary>
    public static torch.Tensor TimestepTensor(torch.Tensor scaledSample, double timestep)
    {
        ArgumentNullException.ThrowIfNull(scaledSample);
        if (scaledSample.dim() < 1)
            throw new ArgumentException("The sample must have a leading batch dimension.", nameof(scaledSample));
        return torch.full(new[] { scaledSample.shape[0] }, (float)timestep, dtype: torch.float32, device: scaledSample.device);
    }

    /// <summary>Throws <see cref="ModelCallException"/> unless <paramref name="output"/> has the sample's shape.</summary>
    public static torch.Tensor CheckOutput(string identity, torch.Tensor scaledSample, torch.Tensor output)
    {
        if (!output.shape.SequenceEqual(scaledSample.shape))
        {
            var got = $"[{string.Join(", ", output.shape)}]";
            var want = $"[{string.Join(", ", scaledSample.shape)}]";
            output.Dispose();
            throw new ModelCallException(identity,
                $"Model '{identity}' returned shape {got}, but the sample has shape {want}; " +
                "a consistency model must return a tensor of the sample's shape.");
        }
        return output;
    }
}

/// <summary>A model call failed; <see cref="Exception.Message"/> says why and what was expected.</summary>
public sealed class ModelCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelCallException(string identity, string message, Exception? inner = null) : base(message, inner) => Identity = identity;

    /// <summary>The <see cref="IModel.Identity"/> of the failing model.</summary>
    public string Identity { get; }
}
