using Cm.Pure.Config;
using LanguageExt;

namespace Cm.Pure.Errors;

/// <summary>The config breaks one or more rules; every problem is listed.</summary>
public sealed record InvalidConfig(Arr<ConfigProblem> Problems)
    : CmError("invalid scheduler config: " + string.Join("; ", Problems), ErrorKind.InvalidInput, 1001);
