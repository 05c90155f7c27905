using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>A key file that is not the key it must be (an Ed25519 PKCS#8 private key, or an Ed25519 public key in PEM).</summary>
public sealed record InvalidKey(string Path, string Reason)
    : CmError($"key '{Path}': {Reason}", ErrorKind.InvalidInput, 1811);
