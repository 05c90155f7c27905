using Cm.Cli.Commands;
using Cm.Runtime.Attestations;
using Cm.Runtime.Files;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Sampling;

/// <summary>
/// <c>cm sample --sign KEY</c>: the key and the attestation path checked before the run; after it, the
/// trace verified and the attestation (trace and samples as subjects) written atomically beside the trace.
/// </summary>
public static class SampleSigning
{
    /// <summary>The signing key, when <c>--sign</c> is given: it needs <c>--trace</c>, a readable key and a free attestation path.</summary>
    public static Fin<Option<SigningKey>> Prepare(SampleSettings s) => Prepare(s.Sign, s.Trace, s.Force);

    /// <summary>The signing key of <c>--sign</c> (<c>cm sample</c> and <c>cm edit</c>): it needs <c>--trace</c>, a readable key and a free attestation path.</summary>
    public static Fin<Option<SigningKey>> Prepare(string? sign, string? trace, bool force) =>
        sign is null ? FinSucc(Option<SigningKey>.None)
        : trace is null ? FinFail<Option<SigningKey>>(new UsageProblem("--sign needs --trace FILE: the attestation signs the trace (and names the outputs)"))
        : from _ in AtomicFile.CheckTarget(RunAttestation.PathFor(trace), force)
          from key in Ed25519Keys.LoadPrivate(sign)
          select Some(key);

    /// <summary>Signs the finished run; returns the attestation's path.</summary>
    public static Fin<string> Sign(SigningKey key, string trace, Seq<string> samples, bool force)
    {
        var path = RunAttestation.PathFor(trace);
        return RunAttestation.Sign(trace, samples, key, path, force, Runtime.Sampling.NoiseSources.Regenerate).Map(_ => path);
    }
}
