using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>TorchSharp's native libraries did not load in this process (docs/native-setup.md says how to fix it).</summary>
public sealed record NativeLoadFailed(int Code, string Reason) : CmError(Reason, ErrorKind.RunFailure, Code);
