using Cm.Cli.Hosting;
using Cm.Pure.Traces;
using Cm.Pure.Verification;
using Cm.Runtime.Attestations;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Verification;

/// <summary>
/// The end of <c>cm verify</c> and <c>cm replay</c>: the trusted keys and the policy read from the options,
/// level <c>signed</c> checked, the policy decided, the levels printed, and the one exit code: 0 when
/// every check passed and every required level was reached, 3 otherwise.
/// </summary>
public static class VerificationGate
{
    /// <summary>The trusted keys and the policy of the options, or why they are unusable.</summary>
    public static Fin<(Seq<TrustedKey> Keys, VerifyPolicy Policy)> Read(VerificationSettings s, params VerificationLevel[] alsoByDefault) =>
        from listed in toSeq(s.TrustedKeys).Sequence(Ed25519Keys.LoadPublic)
        from file in s.Trust is null ? FinSucc(Seq<TrustedKey>()) : Ed25519Keys.LoadPublic(s.Trust)
        let keys = listed.Bind(k => k) + file
        from policy in s.Require is null
            ? FinSucc(VerifyPolicy.Of([.. VerifyPolicy.Default(!keys.IsEmpty).Required, .. alsoByDefault]))
            : VerifyPolicy.Parse(s.Require)
        select (keys, policy);

    /// <summary>Checks the signature, decides the policy, prints the outcome; returns the exit code.</summary>
    public static int Decide(CliConsoles io, string verb, VerificationSettings s, VerifyReport report, Seq<TrustedKey> keys, VerifyPolicy policy,
        Func<VerifyReport, string>? json = null)
    {
        var signed = RunAttestation.Check(report, s.Trace, s.Attestation ?? RunAttestation.PathFor(s.Trace), keys);
        var decision = policy.Decide(signed.Levels);
        // --json: the verdict (levels reached, the failure) as data on stdout; the exit code is the policy's.
        if (json is not null)
        {
            io.Data(json(signed));
            return decision.Match(Succ: _ => ExitCodes.Ok, Fail: ExitCodes.For);
        }
        return decision.Match(
            Succ: reached =>
            {
                io.Info($"{s.Trace}: verified at levels {VerificationLevels.Show(reached)} ({signed.Steps} steps; required: {VerificationLevels.Show(policy.Required)})");
                foreach (var u in signed.Levels.Unreached) io.Info($"  not {u.Level.Name()}: {u.Why}");
                return ExitCodes.Ok;
            },
            Fail: e =>
            {
                io.Error($"cm: {verb}: {s.Trace}: {e.Message}");
                return ExitCodes.For(e);
            });
    }
}
