using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Sampling;

namespace Cm.Cli.Sampling;

/// <summary>Advances a progress display once per step; asks for no tensors. Optionally forwards to another observer.</summary>
public sealed class ProgressObserver(Action<int, int> advance, IStepObserver? next = null) : IStepObserver
{
    private int _steps;
    private int _done;

    /// <inheritdoc/>
    public bool WantsTensors => next?.WantsTensors ?? false;

    /// <inheritdoc/>
    public void OnStart(RunHeader header, Tensor<float> initialSample)
    {
        _steps = header.Schedule.Match(n => n, list => list.Length);
        next?.OnStart(header, initialSample);
    }

    /// <inheritdoc/>
    public void OnStep(StepRecord record)
    {
        next?.OnStep(record);
        advance(++_done, _steps);
    }

    /// <inheritdoc/>
    public void OnComplete(Tensor<float> finalSample) => next?.OnComplete(finalSample);
}
