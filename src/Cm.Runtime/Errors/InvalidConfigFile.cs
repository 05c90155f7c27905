using Cm.Pure.Config;
using Cm.Pure.Errors;
using LanguageExt;

namespace Cm.Runtime.Errors;

/// <summary>A <c>scheduler_config.json</c> that is not valid JSON, has wrong types or breaks a rule; every problem is listed.</summary>
public sealed record InvalidConfigFile(string Path, Arr<ConfigProblem> Problems)
    : CmError($"invalid scheduler config '{Path}':" + string.Concat(Problems.Map(p => "\n  - " + p)), ErrorKind.InvalidInput, 1101);
