using Cm.Pure.Config;
using Cm.Pure.Editing;
using Cm.Pure.Tensors;
using Cm.Pure.Errors;
using Cm.Pure.Noise;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// The verifier's accumulator between lines, a closed union: awaiting the header, running over the steps,
/// sealed by the footer, or failed. Each case holds exactly what is known at that point, so nothing is
/// nullable. Bounded by one step's tensors, whatever the trace's length. Built by
/// <see cref="TraceVerifier.Start"/>, advanced by <see cref="TraceVerifier.Next(VerifyState, TraceInput)"/>.
/// </summary>
public abstract record VerifyState
{
    private VerifyState() { }

    /// <summary>Lines read so far.</summary>
    public int LinesRead => this switch
    {
        AwaitingHeader a => a.Lines,
        Running r => r.Lines,
        Sealed z => z.Footer.Number,
        FailedAt f => f.Lines,
        _ => 0,
    };

    /// <summary>True once a failure is recorded: later lines are not read.</summary>
    public bool Failed => this is FailedAt;

    /// <summary>Nothing read yet: the next line must be the header.</summary>
    public sealed record AwaitingHeader(VerifyOptions Options, int Lines) : VerifyState;

    /// <summary>
    /// The header was accepted and <paramref name="Steps"/> steps after it. <paramref name="Generator"/> is
    /// the header's generator positioned for the next draw (none when the noise is recorded or no generator
    /// was supplied); <paramref name="LastNextHash"/> the previous step's next sample (none before step 0).
    /// </summary>
    public sealed record Running(
        VerifyOptions Options, int Lines, HeaderLine Header, ValidConfig Config, StepPlan Plan,
        Option<INoise> Generator, string PrevHash, int Steps, Option<string> LastNextHash, Option<EditState> Edit) : VerifyState
    {
        /// <summary>
        /// The previous step's inline next sample, once its bytes were checked against its hash (none before step 0
        /// and in hash-only traces): a sample with the same bytes has the same hash, so it is compared, not hashed.
        /// </summary>
        public Option<float[]> LastNextValues { get; init; }
    }

    /// <summary>
    /// An edit run's header section and, when the trace carries the reference and mask inline (checked against their
    /// hashes), the rebuilt replacement and the processed reference that every step is recomputed with.
    /// </summary>
    public sealed record EditState(EditHeader Header, Option<(Replacement Replacement, Tensor<float> Processed)> Recompute);

    /// <summary>The footer sealed the run; only the end of the file may follow.</summary>
    public sealed record Sealed(Running Run, FooterLine Footer) : VerifyState;

    /// <summary>A check failed on line <paramref name="Lines"/>; <paramref name="Before"/> is the state it failed in.</summary>
    public sealed record FailedAt(VerifyState Before, int Lines, VerificationFailed Failure) : VerifyState;
}
