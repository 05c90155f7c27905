using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cm.Cli.Options;

/// <summary>The one switch every command that writes files shares: outputs never replace a file unless forced.</summary>
public interface IOutputSettings
{
    /// <summary>Replace existing output files.</summary>
    bool Force { get; }
}

/// <summary>Text of the <c>--force</c> option, shared so every command says the same thing.</summary>
public static class OutputSettings
{
    /// <summary>The option's help text.</summary>
    public const string ForceDescription =
        "Replace existing output files. Without it an existing file is an error (exit 3) and is left untouched. Files are always written atomically.";
}
