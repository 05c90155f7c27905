using Cm.Pure.Errors;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Tensors;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// The replay's accumulator between lines, a closed union like <see cref="VerifyState"/> (which every
/// case carries: replay checks everything verify checks, then the model). Nothing is nullable.
/// </summary>
public abstract record ReplayState
{
    private ReplayState() { }

    /// <summary>The verifier's state over the same lines.</summary>
    public abstract VerifyState Verify { get; init; }

    /// <summary>True once a failure is recorded: later lines are not read.</summary>
    public bool Failed => this is FailedAt;

    /// <summary>Nothing read yet.</summary>
    public sealed record AwaitingHeader(VerifyState Verify) : ReplayState;

    /// <summary>
    /// Steps re-run so far under the verified header: the scheduler, the header's generator positioned for the next draw (none when
    /// the noise comes from inline tensors), and the sample reached (none before step 0).
    /// </summary>
    public sealed record Running(VerifyState Verify, HeaderLine Header, SchedulerState Scheduler, Option<INoise> Generator, Option<Tensor<float>> Sample, int Steps)
        : ReplayState
    {
        /// <summary>For an edit run: the replacement and the processed reference each re-run step replaces with.</summary>
        public Option<(Editing.Replacement Replacement, Tensor<float> Processed)> Edit { get; init; }
    }

    /// <summary>The footer was reached and matched the re-run's final sample.</summary>
    public sealed record Sealed(VerifyState Verify, Tensor<float> Final, int Steps) : ReplayState;

    /// <summary>A check failed (the verifier's, or a re-run that diverged from the trace).</summary>
    public sealed record FailedAt(VerifyState Verify, VerificationFailed Failure, int Steps, Option<Tensor<float>> Sample) : ReplayState;
}

/// <summary>
/// What the model must be evaluated on: the scaled sample (row-major float32) at the step whose scalars are
/// <paramref name="Step"/> (a network takes its timestep, an analytic model its σ).
/// </summary>
public sealed record ModelCall(float[] ScaledSample, Sampling.StepScalars Step)
{
    /// <summary>The step's timestep t.</summary>
    public double Timestep => Step.Timestep;
}

/// <summary>The outcome of feeding one line to the replay: a new state, or a step waiting for the model's output.</summary>
public abstract record ReplayStep
{
    private ReplayStep() { }

    /// <summary>No model call was needed (header, footer, or a failure).</summary>
    public sealed record Advanced(ReplayState State) : ReplayStep;

    /// <summary>
    /// A step line passed every check up to the model call; the runtime evaluates <paramref name="Call"/>
    /// and hands the output to <see cref="TraceReplay.Resume"/>.
    /// </summary>
    public sealed record NeedsModel(ReplayState.Running Before, StepLine Line, SchedulerState Scaled, Tensor<float> Sample, ModelCall Call) : ReplayStep;
}
