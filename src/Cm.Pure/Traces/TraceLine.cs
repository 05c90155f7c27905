using LanguageExt;

namespace Cm.Pure.Traces;

/// <summary>
/// A parsed trace line: header, step or footer. <see cref="Hash"/> is the SHA-256 of the line's exact
/// bytes, which the next line's <see cref="Prev"/> must repeat (the hash chain).
/// </summary>
/// <param name="Number">1-based line number.</param>
/// <param name="Hash">SHA-256 of this line's bytes (without the newline), lowercase hex.</param>
/// <param name="Prev">The <c>prev</c> field: the hash of the line before (absent only in a header).</param>
public abstract record TraceLine(int Number, string Hash, Option<string> Prev);

/// <summary>The first line: what the run claims to be, and whether steps carry their tensors.</summary>
public sealed record HeaderLine(int Number, string Hash, Option<string> Prev, RunHeader Run, bool InlineTensors)
    : TraceLine(Number, Hash, Prev);

/// <summary>One step: its scalars, the generator position, the tensor hashes, optionally the tensors.</summary>
public sealed record StepLine(
    int Number, string Hash, Option<string> Prev,
    int Index, TracedScalars Scalars, Option<string> Position, StepHashes Hashes, Option<StepTensors> Tensors)
    : TraceLine(Number, Hash, Prev);

/// <summary>The last line: it seals the chain with the step count and the final sample's hash.</summary>
public sealed record FooterLine(int Number, string Hash, Option<string> Prev, int Steps, string FinalSample, bool Complete)
    : TraceLine(Number, Hash, Prev);
