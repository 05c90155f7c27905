namespace Cm.Pure.Attestations;

/// <summary>An in-toto subject: a file's name (relative to the attestation's folder) and its SHA-256 (lowercase hex).</summary>
public sealed record Subject(string Name, string Sha256);
