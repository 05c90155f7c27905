using Cm.Pure.Tensors;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary><c>cm sample</c> in-process: every option class, bad inputs, untouched files.</summary>
public sealed class SampleCommandTests
{
    [Fact]
    public void Default_sample_writes_a_labelled_grid_of_sixteen_glyphs()
    {
        using var dir = new TempDir();
        var png = dir.File("samples.png");
        var r = CliHarness.Run("sample", "--out", png, "--batch", "4");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains(png, r.Out);
        Assert.Contains("4 samples 1x16x16 from analytic:glyphs, 2 steps (timesteps 22,0), torch:0 noise", r.Out);
        var (w, h) = PngCheck.Size(File.ReadAllBytes(png));
        Assert.True(w > 2 * 16 && h > 2 * 16, $"{w}x{h}");
    }

    [Theory]
    [InlineData("--steps", "1")]
    [InlineData("--timesteps", "39,20,0")]
    [InlineData("--noise", "philox")]
    [InlineData("--model", "analytic:gaussian")]
    [InlineData("--model", "analytic:glyphs-denoiser")]
    [InlineData("--sigma-max", "40")]
    public void Options_reach_the_run(string option, string value)
    {
        using var dir = new TempDir();
        var r = CliHarness.Run("sample", "--out", dir.File("s.png"), "--batch", "2", option, value);
        Assert.True(r.Code == 0, r.ToString());
    }

    [Fact]
    public void Npy_output_holds_the_raw_samples_in_minus_one_one_up_to_the_last_steps_noise()
    {
        using var dir = new TempDir();
        var npy = dir.File("s.npy");
        var r = CliHarness.Run("sample", "--format", "npy", "--out", npy, "--batch", "3", "--model", "analytic:glyphs", "--class-labels", "1,2,3");
        Assert.True(r.Code == 0, r.ToString());
        var bytes = File.ReadAllBytes(npy);
        var header = System.Text.Encoding.ASCII.GetString(bytes, 10, bytes[8] | bytes[9] << 8);
        Assert.Contains("'shape': (3, 1, 16, 16)", header);
        var data = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.AsSpan(10 + (bytes[8] | bytes[9] << 8)));
        Assert.Equal(3 * 256, data.Length);
        // Clipped denoised values plus the last step's tiny noise (scale 6.7e-7 with the defaults, as in diffusers).
        foreach (var v in data) Assert.InRange(v, -1.00001f, 1.00001f);
    }

    [Fact]
    public void Same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliHarness.Run("sample", "--out", dir.File("a.npy"), "--format", "npy", "--batch", "2", "--seed", "5").Code);
        Assert.Equal(0, CliHarness.Run("sample", "--out", dir.File("b.npy"), "--format", "npy", "--batch", "2", "--seed", "5").Code);
        Assert.Equal(0, CliHarness.Run("sample", "--out", dir.File("c.npy"), "--format", "npy", "--batch", "2", "--seed", "6").Code);
        Assert.Equal(File.ReadAllBytes(dir.File("a.npy")), File.ReadAllBytes(dir.File("b.npy")));
        Assert.NotEqual(File.ReadAllBytes(dir.File("a.npy")), File.ReadAllBytes(dir.File("c.npy")));
    }

    [Theory]
    [InlineData(3, "--batch", "0")]
    [InlineData(3, "--steps", "0")]
    [InlineData(3, "--timesteps", "0,22")]
    [InlineData(3, "--timesteps", "40,0")]
    [InlineData(3, "--sigma-min", "-1")]
    [InlineData(3, "--model", "analytic:nope")]
    [InlineData(3, "--model", "missing-model.pt", "--shape", "1,4,4")]
    [InlineData(3, "--model", "missing-model.pt")]
    [InlineData(3, "--device", "gpu7")]
    [InlineData(3, "--device", "cuda")]
    [InlineData(3, "--class-labels", "1,2,3")]
    [InlineData(3, "--model", "analytic:gaussian", "--class-labels", "1,2")]
    [InlineData(3, "--model", "analytic:glyphs", "--class-labels", "1,x")]
    [InlineData(3, "--model", "analytic:glyphs", "--class-labels", "10,1")]
    [InlineData(3, "--shape", "3,8,8")]
    [InlineData(3, "--trace-tensors")]
    [InlineData(2, "--noise", "mersenne")]
    [InlineData(2, "--format", "gif")]
    [InlineData(2, "--seed", "-1")]
    [InlineData(2, "--frobnicate")]
    public void Bad_input_exits_with_its_code_names_the_problem_and_leaves_files_untouched(int code, params string[] args)
    {
        using var dir = new TempDir();
        var existing = dir.Write("samples.png", "precious");
        var r = CliHarness.Run(["sample", "--out", existing, "--force", "--batch", "2", .. args]);
        Assert.True(r.Code == code, r.ToString());
        Assert.False(string.IsNullOrWhiteSpace(r.Err), r.ToString());
        Assert.Equal("precious", File.ReadAllText(existing));
    }

    [Fact]
    public void An_existing_output_is_not_replaced_without_force()
    {
        using var dir = new TempDir();
        var existing = dir.Write("samples.png", "precious");
        var r = CliHarness.Run("sample", "--out", existing, "--batch", "1");
        Assert.Equal(3, r.Code);
        Assert.Contains("--force", r.Err);
        Assert.Equal("precious", File.ReadAllText(existing));
        Assert.Equal(0, CliHarness.Run("sample", "--out", existing, "--batch", "1", "--force").Code);
        Assert.NotEqual("precious", File.ReadAllText(existing));
    }
}
