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
    /// Whether the observer keeps the tensors themselves (e.g. written inline in a trace), not only their
    /// hashes. When false, the loop hands over short-lived values (pooled copies, released when
    /// <see cref="OnStep"/> returns: reading them later throws); when true, values that stay valid (the
    /// record's tensors are immutable either way).
    /// </summary>
    bool WantsTensors { get; }

    /// <summary>
    /// Whether <see cref="OnStep"/> needs the step's tensor values at all (a trace needs them for its
    /// hashes even when it does not inline them). When false the loop copies nothing and the record's
    /// tensors are empty (shape [0]): a progress bar pays nothing per step.
    /// </summary>
    bool WantsStepValues => true;

    /// <summary>Before the first step.</summary>
    Fin<Unit> OnStart(RunHeader header);

    /// <summary>After each step, in order.</summary>
    Fin<Unit> OnStep(StepRecord step);

    /// <summary>After the last step, with the final sample.</summary>
    Fin<Unit> OnComplete(Tensor<float> finalSample);
}
