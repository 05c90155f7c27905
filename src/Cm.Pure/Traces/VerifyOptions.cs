using Cm.Pure.Noise;
using Cm.Pure.Schedules.Arithmetic;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// What the verifier may use besides the trace. <paramref name="NoiseFor"/> rebuilds the generator a
/// header names (torch or philox with its seed); given one, the verifier redraws the initial sample and
/// every step's noise and compares them with the trace. It is passed in, so the core does not depend on
/// which generators exist.
/// </summary>
public sealed record VerifyOptions(Func<NoiseSpec, Option<INoise>> NoiseFor)
{
    /// <summary>
    /// The schedule arithmetic assumed for a header that names none (<see cref="TraceVerifier.Verify"/>
    /// tries every variant in turn by setting this).
    /// </summary>
    public ScheduleMath AssumedScheduleMath { get; init; }

    /// <summary>The largest sample the verifier allocates for (<see cref="TraceLimits.DefaultMaxElements"/> by default).</summary>
    public int MaxElements { get; init; } = TraceLimits.DefaultMaxElements;

    /// <summary>No generators: noise is checked only against the trace's own hashes and tensors.</summary>
    public static VerifyOptions Default { get; } = new(_ => None);
}
