using System.Runtime.InteropServices;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>
/// <c>cm sample --model DIR</c> on the golden diffusers folder (shared/golden/unet/pipelines/diffusers-cd_tiny_cond):
/// shape, classes and scheduler config come from the folder; the run reproduces diffusers' 2-step pipeline.
/// </summary>
public sealed class ModelFolderSampleTests
{
    private static string Folder => SharedFolder.Sub("golden", "unet", "pipelines", "diffusers-cd_tiny_cond");

    [Fact]
    public void Sample_with_random_labels_writes_a_picture()
    {
        using var dir = new TempDir();
        var png = dir.File("samples.png");
        var r = CliHarness.Run("sample", "--model", Folder, "--class-labels", "random", "--batch", "2", "--out", png);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("2 samples 3x16x16 from", r.Err);   // the summary is status: stderr
        Assert.Contains("labels ", r.Err);
        var (w, h) = PngCheck.Size(File.ReadAllBytes(png));
        Assert.True(w >= 2 * 16 && h >= 16, $"{w}x{h}");
    }

    [Fact]
    public void The_run_of_the_diffusers_call_gives_diffusers_final_sample()
    {
        // pipe(batch_size=2, class_labels=[145, 7], timesteps=[22, 0], generator=torch.manual_seed(0))
        using var dir = new TempDir();
        var npy = dir.File("s.npy");
        var r = CliHarness.Run("sample", "--model", Folder, "--class-labels", "145,7", "--batch", "2", "--timesteps", "22,0",
            "--seed", "0", "--noise", "torch", "--format", "npy", "--out", npy);
        Assert.True(r.Code == 0, r.ToString());
        var bytes = File.ReadAllBytes(npy);
        var headerLength = bytes[8] | bytes[9] << 8;
        Assert.Contains("'shape': (2, 3, 16, 16)", System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength));
        var data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(10 + headerLength)).ToArray();
        var golden = Encoded.Parse(GoldenFiles.Load("unet", "pipeline_cd_tiny_cond_2step.json")["final_sample"]).F32();
        Assert.Equal(golden.Length, data.Length);
        var maxDiff = golden.Zip(data, (g, a) => Math.Abs((double)g - a)).Max();
        var bound = 2e-5 * Math.Max(1.0, golden.Max(g => Math.Abs((double)g)));
        Assert.True(maxDiff <= bound, $"max |cm − diffusers| = {maxDiff:E3} > {bound:E3}");
    }

    [Fact]
    public void Labels_beyond_the_folders_classes_and_a_non_folder_are_clear_errors()
    {
        using var dir = new TempDir();
        var r = CliHarness.Run("sample", "--model", Folder, "--class-labels", "1000,1", "--batch", "2", "--out", dir.File("x.png"));
        Assert.Equal(3, r.Code);
        Assert.Contains("0..999", r.Err + r.Out);
        var empty = Directory.CreateDirectory(dir.File("empty")).FullName;
        var e = CliHarness.Run("sample", "--model", empty, "--out", dir.File("y.png"));
        Assert.Equal(3, e.Code);
        Assert.Contains("model_index.json", e.Err + e.Out);
    }
}
