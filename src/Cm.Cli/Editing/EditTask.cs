namespace Cm.Cli.Editing;

/// <summary>The three zero-shot edits of the paper (Song et al. 2023, §5).</summary>
public enum EditTask
{
    /// <summary>Fill the unknown region (mask or rectangle).</summary>
    Inpaint,

    /// <summary>Keep the reference's luminance, generate the colour.</summary>
    Colorize,

    /// <summary>Keep the reference's patch means, generate the detail.</summary>
    SuperRes,
}
