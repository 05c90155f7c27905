using Cm.Pure.Editing;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// The edit section of a run header (key <c>edit</c>, docs/trace-format.md "Edit runs"): which task, which
/// schedule convention, the replacement's identity, and the reference by SHA-256 (the mask's hash is in the
/// identity). <paramref name="Data"/> holds the reference and mask values when the trace carries tensors
/// inline (a parsed hash-only header has none). Sampling runs have no edit section.
/// </summary>
/// <param name="Task">inpaint, colorize, superres or custom.</param>
/// <param name="Convention">The schedule convention the steps followed.</param>
/// <param name="Replacement">What the replacement is, enough to rebuild it (with the mask's values).</param>
/// <param name="Reference">SHA-256 of the reference tensor (the batch's shape, float32 little-endian).</param>
/// <param name="Data">The reference and mask values.</param>
public sealed record EditHeader(EditTask Task, EditConvention Convention, ReplacementIdentity Replacement, string Reference, Option<EditData> Data)
{
    /// <summary>The edit section of a run: hashes computed here, the values kept for a trace with inline tensors.</summary>
    public static EditHeader Of(EditTask task, EditConvention convention, Replacement replacement, Tensor<float> reference) =>
        new(task, convention, ReplacementIdentity.Of(replacement), TensorHash.Of(reference.Data),
            Some(new EditData(reference.ToArray(), replacement is Replacement.Inpaint m ? Some(m.Mask.ToTensor().ToArray()) : None)));
}
