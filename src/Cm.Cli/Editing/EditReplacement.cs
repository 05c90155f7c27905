using System.Globalization;
using Cm.Cli.Commands;
using Cm.Cli.Sampling;
using Cm.Pure.Editing;
using Cm.Runtime.Editing;
using Cm.Runtime.Images;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Cli.Editing;

/// <summary>The command line's task options turned into a <see cref="Replacement"/>, every mistake an exit-3 error.</summary>
public static class EditReplacement
{
    /// <summary>Options that belong to another task, or a missing mask, as a usage problem.</summary>
    public static Fin<Unit> CheckOptions(EditTask task, EditSettings s) => task switch
    {
        _ when s.Image is null => FinFail<Unit>(new UsageProblem("--image PNG is required: the reference image to edit")),
        EditTask.Inpaint when (s.Mask is null) == (s.Rect is null) =>
            FinFail<Unit>(new UsageProblem("inpaint needs exactly one of --mask PNG (white = keep) or --rect X,Y,W,H (the region to generate)")),
        not EditTask.Inpaint when s.Mask is not null || s.Rect is not null =>
            FinFail<Unit>(new UsageProblem($"--mask and --rect belong to inpaint, not {Name(task)}")),
        not EditTask.SuperRes when s.Patch is not null =>
            FinFail<Unit>(new UsageProblem($"--patch belongs to superres, not {Name(task)}")),
        EditTask.SuperRes when s.Patch is < 1 or > 64 =>
            FinFail<Unit>(new UsageProblem($"--patch {s.Patch}: give a patch size 1..64")),
        _ => FinSucc(unit),
    };

    /// <summary>The task's name on the command line.</summary>
    public static string Name(EditTask task) => task.Name();

    /// <summary>The replacement for a reference of <paramref name="channels"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public static Fin<Replacement> For(EditTask task, EditSettings s, int channels, int height, int width) => task switch
    {
        EditTask.Inpaint when s.Mask is not null =>
            PngReader.Read(s.Mask).Bind(m => EditInputs.MaskFromPng(m, channels, width, height)).Map(m => (Replacement)new Replacement.Inpaint(m)),
        EditTask.Inpaint =>
            ParseRect(s.Rect!).Bind(r => EditInputs.MaskFromRect(r[0], r[1], r[2], r[3], channels, width, height)).Map(m => (Replacement)new Replacement.Inpaint(m)),
        EditTask.Colorize => FinSucc(Replacements.Colorization(EditBases.Luminance)),
        EditTask.Custom => FinFail<Replacement>(new UsageProblem("cm edit has no custom task: a custom replacement is a library call (Replacements.Projector)")),
        _ => EditBases.Patch(s.Patch ?? 8).Map(b => Replacements.SuperResolution(b, s.Patch ?? 8)),
    };

    private static Fin<int[]> ParseRect(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var v = new int[4];
        if (parts.Length != 4 || parts.Where((p, i) => !int.TryParse(p, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v[i])).Any())
            return FinFail<int[]>(new UsageProblem($"--rect '{text}': give four integers X,Y,W,H (column, row, width, height), e.g. 0,8,16,8"));
        return FinSucc(v);
    }
}
