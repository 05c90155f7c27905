using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>The built <c>cm</c> as a real process: exit codes, stdout/stderr separation, files on disk.</summary>
public sealed class ProcessTests
{
    [Theory]
    [InlineData("--steps", "7")]
    [InlineData("--timesteps", "22,0")]
    public void Schedule_json_equals_the_core_bit_for_bit(string option, string value)
    {
        using var dir = new TempDir();
        var r = CmProcess.Run(dir.Path, "schedule", option, value, "--format", "json");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal("", r.Err);
        var spec = option == "--steps" ? TimestepSpec.OfSteps(int.Parse(value)) : TimestepSpec.OfIndices([.. value.Split(',').Select(int.Parse)]);
        ScheduleJsonCheck.MatchesCore(r.Out, ValidConfig.Default, spec);
    }

    /// <summary>
    /// The README's main job, as a process: the default <c>cm sample</c> writes samples.png in the working
    /// directory. 16 glyphs of 16×16 are drawn 4 to a row, each upscaled ×4 to 64 px, with 2-px gaps and a
    /// 14-px label strip (3×5 font at ×2 plus two gaps) over each tile: 4·64 + 5·2 = 266 wide and
    /// 4·(64 + 14) + 5·2 = 322 high. The same command twice gives the same bytes.
    /// </summary>
    [Fact]
    public void Default_sample_writes_the_expected_png_and_repeats_byte_for_byte()
    {
        using var dir = new TempDir();
        var first = CmProcess.Run(dir.Path, "sample");
        Assert.True(first.Code == 0, first.ToString());
        Assert.StartsWith("samples.png", first.Out);
        var png = File.ReadAllBytes(dir.File("samples.png"));
        Assert.Equal(PngCheck.Signature, png[..8]);
        Assert.Equal((266, 322), PngCheck.Size(png));
        File.Move(dir.File("samples.png"), dir.File("first.png"));
        var second = CmProcess.Run(dir.Path, "sample");
        Assert.True(second.Code == 0, second.ToString());
        Assert.Equal(png, File.ReadAllBytes(dir.File("samples.png")));
        var again = CmProcess.Run(dir.Path, "sample");
        Assert.Equal(3, again.Code);
        Assert.Contains("--force", again.Err);
        Assert.Equal(png, File.ReadAllBytes(dir.File("samples.png")));
    }

    [Fact]
    public void Config_init_then_check_round_trips_in_the_working_directory()
    {
        using var dir = new TempDir();
        var init = CmProcess.Run(dir.Path, "config", "init");
        Assert.True(init.Code == 0, init.ToString());
        Assert.True(File.Exists(dir.File("scheduler_config.json")));
        var check = CmProcess.Run(dir.Path, "config", "check", "scheduler_config.json");
        Assert.True(check.Code == 0, check.ToString());
        var show = CmProcess.Run(dir.Path, "config", "show", "--config", "scheduler_config.json");
        Assert.Equal(File.ReadAllText(dir.File("scheduler_config.json")), show.Out);
        Assert.Equal(40, (int)JsonNode.Parse(show.Out)!["num_train_timesteps"]!);
    }

    [Theory]
    [InlineData(3, "num_inference_steps = 0", "schedule", "--steps", "0", "--plot", "EXISTING")]
    [InlineData(3, "strictly descending", "schedule", "--timesteps", "0,1", "--plot", "EXISTING", "--force")]
    [InlineData(3, "already exists", "schedule", "--plot", "EXISTING")]
    [InlineData(3, "already exists", "config", "init", "--out", "EXISTING")]
    [InlineData(3, "rho = 0", "config", "init", "--out", "EXISTING", "--force", "--rho", "0")]
    [InlineData(3, "sigma_max", "schedule", "--config", "BADCONFIG", "--plot", "EXISTING", "--force")]
    [InlineData(3, "sigma_max", "config", "check", "BADCONFIG")]
    [InlineData(3, "no such file", "config", "show", "--config", "missing.json")]
    [InlineData(2, "Unknown option", "schedule", "--plot", "EXISTING", "--forse")]
    [InlineData(2, "usage", "config", "init", "--out")]
    public void Bad_input_exits_with_its_code_and_leaves_files_untouched(int code, string message, params string[] args)
    {
        using var dir = new TempDir();
        var existing = dir.Write("existing.dat", "precious");
        dir.Write("bad.json", """{"sigma_max": 0.001}""");
        var r = CmProcess.Run(dir.Path, [.. args.Select(a => a switch { "EXISTING" => "existing.dat", "BADCONFIG" => "bad.json", _ => a })]);
        Assert.True(code == r.Code, r.ToString());
        Assert.Contains(message, r.Err, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("precious", File.ReadAllText(existing));
        Assert.Equal(["bad.json", "existing.dat"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
    }
}
