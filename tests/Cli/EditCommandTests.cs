using Cm.Tests.Traces;
using Cm.Tests.Editing;
using Cm.Tests.Runtime;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>
/// <c>cm edit</c>: each task runs on the embedded colour model and on the TorchScript fixture and writes a
/// three-tile grid; every bad input exits with 3 and a message naming the problem.
/// </summary>
public sealed class EditCommandTests
{
    private static string Glyph(TempDir d, string name, int digit) => EditImages.Write(d.File(name), 16, 16, 3, EditImages.Rgb(digit));

    private static void Ok(CliResult r, string outPath)
    {
        Assert.True(r.Code == 0, r.ToString());
        var png = File.ReadAllBytes(outPath);
        Assert.Equal(PngCheck.Signature, png[..8]);
        var (w, h) = PngCheck.Size(png);
        Assert.True(w > h, $"three tiles side by side or in a grid, got {w}x{h}");
    }

    private static void Invalid(CliResult r, params string[] mentions)
    {
        Assert.True(r.Code == 3, r.ToString());
        foreach (var m in mentions) Assert.Contains(m, r.Err + r.Out, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Inpaint_with_a_rectangle_on_the_color_glyphs_model()
    {
        using var d = new TempDir();
        var o = d.File("o.png");
        Ok(CliHarness.Run("edit", "inpaint", "--image", Glyph(d, "g.png", 3), "--rect", "0,8,16,8", "--out", o, "-q"), o);
    }

    [Fact]
    public void Inpaint_with_a_mask_png()
    {
        using var d = new TempDir();
        var mask = EditImages.Write(d.File("m.png"), 16, 16, 1, Enumerable.Range(0, 256).Select(i => (byte)(i < 128 ? 255 : 0)).ToArray());
        var o = d.File("o.png");
        Ok(CliHarness.Run("edit", "inpaint", "--image", Glyph(d, "g.png", 2), "--mask", mask, "--out", o, "-q"), o);
    }

    [Fact]
    public void Colorize_a_gray_glyph()
    {
        using var d = new TempDir();
        var gray = EditImages.Write(d.File("g.png"), 16, 16, 1, EditImages.Gray(5));
        var o = d.File("o.png");
        Ok(CliHarness.Run("edit", "colorize", "--image", gray, "--out", o, "-q"), o);
    }

    [Fact]
    public void Superres_of_a_patch_averaged_glyph()
    {
        using var d = new TempDir();
        var blocky = EditImages.Write(d.File("b.png"), 16, 16, 3, EditImages.Blocky(8, 2));
        var o = d.File("o.png");
        Ok(CliHarness.Run("edit", "superres", "--image", blocky, "--patch", "2", "--out", o, "-q"), o);
    }

    [Theory]
    [InlineData("inpaint", "--rect", "0,0,4,8")]
    [InlineData("colorize", null, null)]
    [InlineData("superres", null, null)]
    public void Every_task_runs_the_torchscript_fixture(string task, string? option, string? value)
    {
        using var d = new TempDir();
        var img = EditImages.Write(d.File("i.png"), 8, 8, 3, Enumerable.Range(0, 192).Select(i => (byte)(i * 7 % 256)).ToArray());
        var o = d.File("o.png");
        string[] args = ["edit", task, "--image", img, "--model", RuntimeFixtures.Model("tiny_unet.pt"), "--device", "cpu", "--out", o, "-q"];
        if (option is not null) args = [.. args, option, value!];
        Ok(CliHarness.Run(args), o);
    }

    [Fact]
    public void A_missing_image_is_invalid_input()
    {
        using var d = new TempDir();
        Invalid(CliHarness.Run("edit", "colorize", "--image", d.File("nope.png"), "--out", d.File("o.png")), "nope.png", "no such file");
    }

    [Fact]
    public void A_file_that_is_not_a_png_is_invalid_input()
    {
        using var d = new TempDir();
        var f = d.Write("x.png", "hello, not an image");
        Invalid(CliHarness.Run("edit", "colorize", "--image", f, "--out", d.File("o.png")), "not a PNG");
    }

    [Fact]
    public void A_corrupt_png_is_invalid_input()
    {
        using var d = new TempDir();
        var good = File.ReadAllBytes(Glyph(d, "g.png", 1));
        var f = d.File("bad.png");
        File.WriteAllBytes(f, good[..40]);
        Invalid(CliHarness.Run("edit", "colorize", "--image", f, "--out", d.File("o.png")), "bad.png", "corrupt");
    }

    [Fact]
    public void An_image_of_another_size_than_the_model_names_both_sizes()
    {
        using var d = new TempDir();
        var img = EditImages.Write(d.File("small.png"), 8, 12, 3, new byte[8 * 12 * 3]);
        Invalid(CliHarness.Run("edit", "colorize", "--image", img, "--out", d.File("o.png")), "8x12", "16x16");
    }

    [Fact]
    public void A_gray_image_where_rgb_is_needed_is_invalid_input()
    {
        using var d = new TempDir();
        var gray = EditImages.Write(d.File("g.png"), 16, 16, 1, EditImages.Gray(5));
        Invalid(CliHarness.Run("edit", "inpaint", "--image", gray, "--rect", "0,0,4,4", "--out", d.File("o.png")), "grayscale", "RGB");
    }

    [Fact]
    public void A_mask_of_another_size_names_both_sizes()
    {
        using var d = new TempDir();
        var mask = EditImages.Write(d.File("m.png"), 8, 8, 1, new byte[64]);
        Invalid(CliHarness.Run("edit", "inpaint", "--image", Glyph(d, "g.png", 3), "--mask", mask, "--out", d.File("o.png")), "m.png", "8x8", "16x16");
    }

    [Fact]
    public void A_non_square_image_for_superres_is_invalid_input()
    {
        using var d = new TempDir();
        var img = EditImages.Write(d.File("wide.png"), 16, 8, 3, new byte[16 * 8 * 3]);
        Invalid(CliHarness.Run("edit", "superres", "--image", img, "--model", RuntimeFixtures.Model("tiny_unet.pt"), "--device", "cpu", "--out", d.File("o.png")),
            "square", "16x8");
    }

    [Fact]
    public void A_transparent_image_is_invalid_input()
    {
        using var d = new TempDir();
        var rgba = EditImages.Write(d.File("a.png"), 16, 16, 4, Enumerable.Range(0, 1024).Select(i => (byte)(i % 4 == 3 ? 10 : 200)).ToArray());
        Invalid(CliHarness.Run("edit", "colorize", "--image", rgba, "--out", d.File("o.png")), "transparent");
    }

    [Theory]
    [InlineData("inpaint", "")]
    [InlineData("inpaint", "--rect 0,0,4,4 --mask m.png")]
    [InlineData("inpaint", "--rect 10,10,8,8")]
    [InlineData("inpaint", "--rect 1,2,3")]
    [InlineData("colorize", "--rect 0,0,4,4")]
    [InlineData("colorize", "--patch 2")]
    [InlineData("superres", "--patch 3")]
    public void Wrong_task_options_are_invalid_input(string task, string extra)
    {
        using var d = new TempDir();
        string[] args = ["edit", task, "--image", Glyph(d, "g.png", 3), "--out", d.File("o.png"),
            .. extra.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a == "m.png" ? d.File("m.png") : a)];
        var r = CliHarness.Run(args);
        Invalid(r);
        Assert.False(File.Exists(d.File("o.png")), "nothing is written on invalid input");
    }

    [Theory]
    [InlineData("edit", "--help")]
    [InlineData("edit", "inpaint", "--help")]
    [InlineData("edit", "colorize", "--help")]
    [InlineData("edit", "superres", "--help")]
    public void Help_renders_with_examples_and_exit_codes(params string[] args)
    {
        var r = CliHarness.Run(args);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("EXIT CODES", r.Out);
        Assert.Contains("invalid input", r.Out);
    }

    [Fact]
    public void Without_an_image_the_command_says_so()
    {
        using var d = new TempDir();
        Invalid(CliHarness.Run("edit", "colorize", "--out", d.File("o.png")), "--image");
    }

    [Fact]
    public void A_traced_inpaint_with_tensors_verifies_and_a_tampered_copy_does_not()
    {
        using var d = new TempDir();
        var o = d.File("o.png");
        var trace = d.File("t.jsonl");
        var run = CliHarness.Run("edit", "inpaint", "--image", Glyph(d, "g.png", 3), "--rect", "0,8,16,8", "--timesteps", "39,20,0",
            "--trace", trace, "--trace-tensors", "--out", o, "-q");
        Ok(run, o);
        Assert.Contains(trace, run.Out + run.Err);
        var verified = CliHarness.Run("verify", trace);
        Assert.True(verified.Code == 0, verified.ToString());
        Assert.Contains("recomputed", verified.Out + verified.Err);

        // The reference's first pixel changed inside the header (its hash left alone), the chain resealed.
        var lines = TraceBytes.Lines(File.ReadAllBytes(trace));
        var at = lines[0].IndexOf("\"tensors\":{\"reference\":\"", StringComparison.Ordinal) + 25;
        lines[0] = lines[0][..at] + (lines[0][at] == 'A' ? 'B' : 'A') + lines[0][(at + 1)..];
        var tampered = d.File("tampered.jsonl");
        File.WriteAllBytes(tampered, TraceBytes.Rechain(lines));
        var refused = CliHarness.Run("verify", tampered);
        Assert.True(refused.Code == 3, refused.ToString());
        Assert.Contains("edit.tensors.reference", refused.Err);
        Assert.Contains("recomputed", refused.Err);
    }

    [Fact]
    public void A_hash_only_edit_trace_verifies_and_says_the_replacement_was_not_recomputed()
    {
        using var d = new TempDir();
        var o = d.File("o.png");
        var trace = d.File("t.jsonl");
        var gray = EditImages.Write(d.File("g.png"), 16, 16, 1, EditImages.Gray(5));
        Ok(CliHarness.Run("edit", "colorize", "--image", gray, "--timesteps", "39,0", "--trace", trace, "--out", o, "-q"), o);
        var verified = CliHarness.Run("verify", trace);
        Assert.True(verified.Code == 0, verified.ToString());
        Assert.Contains("not recomputed", verified.Out + verified.Err);
        Assert.Contains("replacement included", verified.Out + verified.Err);
        var strict = CliHarness.Run("verify", trace, "--require", "recomputed");
        Assert.True(strict.Code == 3, strict.ToString());
    }

    [Fact]
    public void A_signed_edit_verifies_at_level_signed_with_the_public_key()
    {
        using var d = new TempDir();
        var o = d.File("o.png");
        var trace = d.File("t.jsonl");
        var key = d.File("k");
        Assert.Equal(0, CliHarness.Run("key", "generate", key).Code);
        Ok(CliHarness.Run("edit", "inpaint", "--image", Glyph(d, "g.png", 3), "--rect", "0,8,16,8", "--timesteps", "39,0",
            "--trace", trace, "--sign", key, "--out", o, "-q"), o);
        Assert.True(File.Exists(trace + ".intoto.json"));
        var verified = CliHarness.Run("verify", trace, "--trusted-key", key + ".pub");
        Assert.True(verified.Code == 0, verified.ToString());
        Assert.Contains("signed", verified.Out + verified.Err);
    }

    [Fact]
    public void Replay_reruns_an_edit_with_tensors_and_refuses_a_hash_only_one()
    {
        using var d = new TempDir();
        var o = d.File("o.png");
        var trace = d.File("t.jsonl");
        var blocky = EditImages.Write(d.File("b.png"), 16, 16, 3, EditImages.Blocky(8, 2));
        Ok(CliHarness.Run("edit", "superres", "--image", blocky, "--patch", "2", "--timesteps", "39,0", "--trace", trace, "--trace-tensors", "--out", o, "-q"), o);
        var replayed = CliHarness.Run("replay", trace);
        Assert.True(replayed.Code == 0, replayed.ToString());
        Assert.Contains("replayed", replayed.Out + replayed.Err);
        var hashes = d.File("h.jsonl");
        Ok(CliHarness.Run("edit", "superres", "--image", blocky, "--patch", "2", "--timesteps", "39,0", "--trace", hashes, "--out", o, "--force", "-q"), o);
        Invalid(CliHarness.Run("replay", hashes), "edit run", "--trace-tensors", "cm verify");
    }

    /// <summary>
    /// SIGTERM during a traced edit stops it at a step boundary as it stops <c>cm sample</c>: exit 130, no picture, no
    /// sealed trace, the unsealed partial trace kept (and it does not verify), stderr naming it.
    /// </summary>
    [Fact]
    public void A_signal_stops_a_traced_edit_with_exit_130_keeping_only_the_partial_trace()
    {
        using var dir = new TempDir();
        EditImages.Write(dir.File("g.png"), 16, 16, 1, EditImages.Gray(5));
        using var cm = CmRunning.Start(dir.Path, "edit", "colorize", "--image", "g.png", "--steps", "40", "--trace", "run.jsonl",
            "--trace-tensors", "--out", "x.png");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (StepLines(dir.Path) < 1)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), "no step was traced in 3 minutes; stderr:\n" + cm.Err);
            Thread.Sleep(20);
        }
        cm.Signal(CmRunning.SigTerm);
        var r = cm.Wait(TimeSpan.FromMinutes(3));
        Assert.True(r.Code == 130, r.ToString());
        Assert.Contains("cm: cancelled", r.Err);
        Assert.Contains("no picture was written", r.Err);
        Assert.Matches(@"run\.jsonl\.cm-\d+-\w+\.partial", r.Err);
        Assert.False(File.Exists(dir.File("x.png")));
        Assert.False(File.Exists(dir.File("run.jsonl")));
        var partial = Assert.Single(Directory.GetFiles(dir.Path, "run.jsonl.cm-*.partial"));
        var verify = CmProcess.Run(dir.Path, "verify", partial);
        Assert.True(verify.Code == 3, verify.ToString());
        Assert.Contains("incomplete", verify.Err);
    }

    // Step lines written so far to the run's partial trace (read beside the writer).
    private static int StepLines(string dir)
    {
        foreach (var path in Directory.GetFiles(dir, "run.jsonl.cm-*.partial"))
        {
            try
            {
                using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(f);
                return reader.ReadToEnd().Split('\n').Count(l => l.StartsWith("{\"type\":\"step\"", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                return 0;
            }
        }
        return 0;
    }

    [Fact]
    public void Trace_options_are_checked_before_the_run()
    {
        using var d = new TempDir();
        var o = d.File("o.png");
        var r = CliHarness.Run("edit", "colorize", "--image", Glyph(d, "g.png", 3), "--trace-tensors", "--out", o);
        Assert.NotEqual(0, r.Code);
        Assert.Contains("--trace-tensors needs --trace", r.Err);
        Assert.False(File.Exists(o));
        var same = CliHarness.Run("edit", "colorize", "--image", Glyph(d, "g.png", 3), "--trace", o, "--out", o);
        Assert.NotEqual(0, same.Code);
        Assert.Contains("different files", same.Err);
    }
}
