namespace Cm.Pure.Verification;

/// <summary>
/// What a check of a run proved, from integrity to a re-run of the model (docs/attestations.md, "Levels").
/// The levels are independent facts, not a ladder: a hashes-only trace can be <see cref="Seeded"/> without
/// being <see cref="Recomputed"/>, and <see cref="Signed"/> says who vouches, not what was recomputed.
/// </summary>
public enum VerificationLevel
{
    /// <summary>Structure, the hash chain, every scalar recomputed from the header, the sample chain and
    /// the footer. Integrity only: the chain has no key, so anyone can edit a line and reseal it.</summary>
    Chain,

    /// <summary>Every step recomputed bit for bit from the trace's inline tensors (binds clip_denoised and
    /// s_noise to the recorded numbers; cannot tell whether the model outputs are the model's).</summary>
    Recomputed,

    /// <summary>The initial sample and every draw of noise regenerated from the header's generator and seed.</summary>
    Seeded,

    /// <summary>A trusted key signed an attestation whose subject is this trace's exact bytes (every header
    /// field, the model identity, device and labels included).</summary>
    Signed,

    /// <summary>The model was run again on every step and gave the traced outputs.</summary>
    Replayed,
}
