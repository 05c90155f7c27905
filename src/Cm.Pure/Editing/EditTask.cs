using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Editing;

/// <summary>The zero-shot edits of the paper (Song et al. 2023, §5), plus a user's own replacement.</summary>
public enum EditTask
{
    /// <summary>Fill the unknown region of a mask.</summary>
    Inpaint,

    /// <summary>Keep the reference's luminance, generate the colour.</summary>
    Colorize,

    /// <summary>Keep the reference's patch means, generate the detail.</summary>
    SuperRes,

    /// <summary>A user's own replacement (<see cref="Replacement.Subspace"/> or <see cref="Replacement.Projector"/>).</summary>
    Custom,
}

/// <summary>The one spelling of each task (command line, trace headers), and the task a replacement performs.</summary>
public static class EditTasks
{
    /// <summary>
    /// The task a replacement performs: a mask inpaints, patch means super-resolve, openai's luminance subspace (per
    /// pixel, coordinate 0 known, <see cref="EditBases.Luminance"/> bit for bit) colorizes; anything else is custom.
    /// </summary>
    public static EditTask Of(Replacement r) => r switch
    {
        Replacement.Inpaint => EditTask.Inpaint,
        Replacement.PatchMeans => EditTask.SuperRes,
        Replacement.Subspace s when s.Grouping is Grouping.PixelChannels && s.KnownCoordinates.SequenceEqual([true, false, false])
            && s.Basis.Q.SequenceEqual(EditBases.Luminance.Q) => EditTask.Colorize,
        _ => EditTask.Custom,
    };

    /// <summary>The task's name: inpaint, colorize, superres or custom.</summary>
    public static string Name(this EditTask task) => task switch
    {
        EditTask.Inpaint => "inpaint",
        EditTask.Colorize => "colorize",
        EditTask.SuperRes => "superres",
        _ => "custom",
    };

    /// <summary>The task a name spells, if any.</summary>
    public static Option<EditTask> Parse(string name) =>
        Enum.GetValues<EditTask>().Find(t => t.Name() == name);
}
