using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using LanguageExt;

namespace Cm.Runtime.Sampling;

/// <summary>
/// What the sampling loop tells the world, and nothing more: the run's header, every step with its
/// intermediate values, and the final sample. A trace sink is one; a progress bar could be another.
/// The loop calls OnStart once, OnStep once per step in order, and OnComplete once after the last step;
/// a failure returned by any call should stop the run (the trace would be unprovable).
/// </summary>
public interface IStepObserver
{
    /// <summary>
    /// What <see cref="OnStep"/> takes of the step's tensors (<see cref="StepValues"/>): nothing, pooled copies
    /// handed over, or values kept. The loop asks once per run.
    /// </summary>
    StepValues Values { get; }

    /// <summary>Before the first step.</summary>
    Fin<Unit> OnStart(RunHeader header);

    /// <summary>After each step, in order.</summary>
    Fin<Unit> OnStep(StepRecord step);

    /// <summary>After the last step, with the final sample.</summary>
    Fin<Unit> OnComplete(Tensor<float> finalSample);
}
