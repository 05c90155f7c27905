using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>A model folder whose <c>model_index.json</c> names a pipeline other than ConsistencyModelPipeline.</summary>
public sealed record UnsupportedPipeline(string Folder, string ClassName)
    : CmError(
        $"model folder '{Folder}': model_index.json names the pipeline '{ClassName}'; Cm samples only ConsistencyModelPipeline folders " +
        "(e.g. openai/diffusers-cd_imagenet64_l2)", ErrorKind.InvalidInput, 1621);
