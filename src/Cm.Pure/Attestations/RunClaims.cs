using Cm.Pure.Verification;
using LanguageExt;

namespace Cm.Pure.Attestations;

/// <summary>What a run statement claims, as read back from a signed payload.</summary>
/// <param name="Subjects">The files it names by SHA-256: the trace and every output.</param>
/// <param name="HeaderSha256">SHA-256 of the trace's header line (its chain hash).</param>
/// <param name="FinalChainHash">SHA-256 of the trace's footer line: the hash that seals the chain.</param>
/// <param name="Steps">Steps in the trace.</param>
/// <param name="Levels">The levels the signer's verification reached.</param>
public sealed record RunClaims(Seq<Subject> Subjects, string HeaderSha256, string FinalChainHash, int Steps, Set<VerificationLevel> Levels);
