using Cm.Pure.Config;
using LanguageExt;

namespace Cm.Runtime.Configs;

/// <summary>A config file that passed every check: the validated settings, the document to write back, and the warnings.</summary>
public sealed record LoadedConfig(ValidConfig Valid, ConfigDocument Document, Arr<ConfigWarning> Warnings);
