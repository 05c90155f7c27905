using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Sampling;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Sampling;

/// <summary>Advances a progress display once per step; optionally forwards everything to another observer (a trace).</summary>
public sealed class ProgressObserver(Action<int, int> advance, IStepObserver? next = null) : IStepObserver
{
    private int _steps;
    private int _done;

    /// <inheritdoc/>
    public StepValues Values => next?.Values ?? StepValues.None;

    /// <inheritdoc/>
    public Fin<Unit> OnStart(RunHeader header)
    {
        _steps = header.Schedule.Match(n => n, list => list.Length);
        return next?.OnStart(header) ?? unit;
    }

    /// <inheritdoc/>
    public Fin<Unit> OnStep(StepRecord record)
    {
        var r = next?.OnStep(record) ?? unit;
        advance(++_done, _steps);
        return r;
    }

    /// <inheritdoc/>
    public Fin<Unit> OnComplete(Tensor<float> finalSample) => next?.OnComplete(finalSample) ?? unit;
}
