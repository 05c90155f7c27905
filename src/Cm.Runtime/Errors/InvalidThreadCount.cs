using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>A libtorch intra-op thread count that is not a positive integer.</summary>
public sealed record InvalidThreadCount(string Text)
    : CmError($"--threads {Text}: give a whole number of threads from 1 to {Threading.TorchThreads.MaxThreads} (default 1; see docs/performance.md)",
              ErrorKind.InvalidInput, 1310);
