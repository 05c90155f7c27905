using Cm.Pure.Config;
using Cm.Pure.Noise;
using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// The verifier's accumulator between lines: bounded by one step's tensors, whatever the trace's length.
/// Built by <see cref="TraceVerifier.Start"/>, advanced by <see cref="TraceVerifier.Next"/>.
/// </summary>
public sealed record VerifyState
{
    internal VerifyState(VerifyOptions options) => Options = options;

    internal VerifyOptions Options { get; }
    internal Option<TraceFailure> Failure { get; init; }
    internal HeaderLine? Header { get; init; }
    internal ValidConfig? Config { get; init; }
    internal Schedule? Schedule { get; init; }
    internal INoise? Generator { get; init; }
    internal string? PrevHash { get; init; }
    internal int Lines { get; init; }
    internal int Steps { get; init; }
    internal string? LastNextHash { get; init; }
    internal FooterLine? Footer { get; init; }
    internal Seq<string> Notes { get; init; }

    /// <summary>True once a failure is recorded: later lines are not read.</summary>
    public bool Failed => Failure.IsSome;
}
