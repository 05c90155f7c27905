using Cm.Pure.Tensors;
using Cm.Pure.Traces;

namespace Cm.Runtime.Sampling;

/// <summary>
/// Watches a run step by step (progress bars, audit traces). The pipeline calls <see cref="OnStart"/>
/// once, <see cref="OnStep"/> after every step and <see cref="OnComplete"/> after the last. Tensors are
/// copied to the CPU for the observer only when <see cref="WantsTensors"/> is true; otherwise the record's
/// tensors are empty (shape [0]).
/// </summary>
public interface IStepObserver
{
    /// <summary>Whether <see cref="OnStep"/> needs the step's tensors (a copy per step).</summary>
    bool WantsTensors { get; }

    /// <summary>The run is about to start; <paramref name="initialSample"/> is empty unless <see cref="WantsTensors"/>.</summary>
    void OnStart(RunHeader header, Tensor<float> initialSample);

    /// <summary>One step is done.</summary>
    void OnStep(StepRecord record);

    /// <summary>The run finished; <paramref name="finalSample"/> is always the real final sample.</summary>
    void OnComplete(Tensor<float> finalSample);
}
