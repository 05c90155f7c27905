using LanguageExt;

namespace Cm.Runtime.Configs;

/// <summary>A config file read successfully, with the warnings reading it raised.</summary>
public sealed record ConfigRead(ConfigDocument Document, Arr<ConfigWarning> Warnings);
