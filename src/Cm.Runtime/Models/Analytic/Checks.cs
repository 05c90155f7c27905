using TorchSharp;

namespace Cm.Runtime.Models.Analytic;

/// <summary>Input checks shared by the analytic models; each failure is a <see cref="ModelCallException"/>.</summary>
internal static class Checks
{
    /// <summary>The sample is a floating-point <c>[N, ...]</c> tensor on <paramref name="device"/>, with per-sample shape <paramref name="shape"/> when given.</summary>
    public static void Sample(string identity, torch.Tensor scaledSample, torch.Device device, long[]? shape)
    {
        ArgumentNullException.ThrowIfNull(scaledSample);
        if (!scaledSample.is_floating_point())
            throw new ModelCallException(identity, $"Model '{identity}' needs a floating-point sample, got {scaledSample.dtype}.");
        if (scaledSample.dim() < 1)
            throw new ModelCallException(identity, $"Model '{identity}' needs a sample with a leading batch dimension.");
        if (scaledSample.device.type != device.type || (device.type == DeviceType.CUDA && scaledSample.device.index != Math.Max(device.index, 0)))
            throw new ModelCallException(identity,
                $"Model '{identity}' lives on {device} but the sample is on {scaledSample.device}; create the model on the sample's device.");
        if (shape is not null && (scaledSample.dim() != shape.Length + 1 || !scaledSample.shape.Skip(1).SequenceEqual(shape)))
            throw new ModelCallException(identity,
                $"Model '{identity}' needs samples of shape [N, {string.Join(", ", shape)}], got [{string.Join(", ", scaledSample.shape)}].");
    }

    /// <summary>No labels for an unconditional model.</summary>
    public static void NoLabels(string identity, torch.Tensor? classLabels)
    {
        if (classLabels is not null)
            throw new ModelCallException(identity, $"Model '{identity}' is unconditional but class labels were given.");
    }

    /// <summary>Labels are int64 <c>[N]</c> on the sample's device with every value in <c>[0, classCount)</c>.</summary>
    public static void Labels(string identity, torch.Tensor scaledSample, torch.Tensor labels, int classCount)
    {
        if (labels.dtype != torch.int64 || labels.dim() != 1 || labels.shape[0] != scaledSample.shape[0])
            throw new ModelCallException(identity,
                $"Model '{identity}' needs class labels as an int64 tensor of shape [{scaledSample.shape[0]}], " +
                $"got {labels.dtype} [{string.Join(", ", labels.shape)}].");
        if (labels.device.type != scaledSample.device.type || labels.device.index != scaledSample.device.index)
            throw new ModelCallException(identity,
                $"Model '{identity}': the class labels are on {labels.device} but the sample is on {scaledSample.device}.");
        if (labels.numel() == 0) return;
        long lo = labels.min().item<long>(), hi = labels.max().item<long>();
        if (lo < 0 || hi >= classCount)
            throw new ModelCallException(identity,
                $"Model '{identity}' has {classCount} classes (labels 0..{classCount - 1}), but got labels in [{lo}, {hi}].");
    }
}
