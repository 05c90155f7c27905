using Cm.Pure.Config;
using Cm.Pure.Schedules;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary><c>cm schedule</c> in-process: every format, the plot, and each kind of bad input with its exit code.</summary>
public sealed class ScheduleCommandTests
{
    private static ValidConfig Valid(SchedulerConfig c) => ConfigValidation.Validate(c).Match(v => v, _ => throw new Xunit.Sdk.XunitException("invalid"));

    [Fact]
    public void Default_is_the_22_0_table()
    {
        var r = CliHarness.Run("schedule");
        Assert.Equal(0, r.Code);
        Assert.Contains("timesteps=[22,0]", r.Out);
        Assert.Contains("1095.5067", r.Out);
        Assert.Contains("c_skip", r.Out);
        Assert.Equal("", r.Err);
    }

    [Theory]
    [InlineData("--steps", "1")]
    [InlineData("--steps", "4")]
    [InlineData("--steps", "40")]
    [InlineData("--timesteps", "39,20,0")]
    [InlineData("--timesteps", "22,0")]
    public void Json_equals_the_core_bit_for_bit(string option, string value)
    {
        var r = CliHarness.Run("schedule", option, value, "--format", "json");
        Assert.True(r.Code == 0, r.ToString());
        var spec = option == "--steps" ? TimestepSpec.OfSteps(int.Parse(value)) : TimestepSpec.OfIndices([.. value.Split(',').Select(int.Parse)]);
        ScheduleJsonCheck.MatchesCore(r.Out, ValidConfig.Default, spec);
    }

    [Fact]
    public void Overrides_and_config_file_reach_the_schedule()
    {
        using var dir = new TempDir();
        var file = dir.Write("c.json", """{"_class_name": "CMStochasticIterativeScheduler", "sigma_max": 50.0, "rho": 5.0, "num_train_timesteps": 151}""");
        var r = CliHarness.Run("schedule", "--config", file, "--sigma-min", "0.01", "--sigma-data", "0.25", "--s-noise", "1.007",
            "--clip-denoised", "false", "--steps", "10", "--format", "json");
        Assert.True(r.Code == 0, r.ToString());
        var expected = new SchedulerConfig(151, 0.01, 50, 0.25, 1.007, 5, false);
        ScheduleJsonCheck.MatchesCore(r.Out, Valid(expected), TimestepSpec.OfSteps(10));

        var n = CliHarness.Run("schedule", "--num-train-timesteps", "201", "--rho", "7", "--sigma-max", "80", "-n", "3", "-f", "json");
        ScheduleJsonCheck.MatchesCore(n.Out, Valid(SchedulerConfig.Default with { num_train_timesteps = 201 }), TimestepSpec.OfSteps(3));
    }

    [Fact]
    public void Csv_has_a_header_and_one_exact_row_per_step()
    {
        var r = CliHarness.Run("schedule", "--steps", "3", "--format", "csv");
        Assert.Equal(0, r.Code);
        var lines = r.Out.TrimEnd('\n').Split('\n');
        Assert.Equal("i,index,timestep,sigma,sigma_next,sigma_hat,noise_scale,c_skip,c_out,input_divisor,draws_noise", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("0,26,1095.5066586684702,80.0,", lines[1]);
        Assert.EndsWith(",true", lines[3]);
        Assert.Contains("6.743495646333031e-07", lines[3]); // the last step's noise scale is not zero
    }

    [Fact]
    public void Plot_writes_a_png_and_never_overwrites_without_force()
    {
        using var dir = new TempDir();
        var png = dir.File("s.png");
        var r = CliHarness.Run("schedule", "--steps", "10", "--plot", png, "--format", "csv");
        Assert.True(r.Code == 0, r.ToString());
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(PngCheck.Signature, bytes[..8]);
        Assert.Equal((800, 500), PngCheck.Size(bytes));

        var again = CliHarness.Run("schedule", "--steps", "3", "--plot", png);
        Assert.Equal(3, again.Code);
        Assert.Contains("already exists", again.Err);
        Assert.Equal("", again.Out); // nothing printed when an input is refused
        Assert.Equal(bytes, File.ReadAllBytes(png));

        Assert.Equal(0, CliHarness.Run("schedule", "--steps", "3", "--plot", png, "--force", "-f", "json").Code);
        Assert.NotEqual(bytes, File.ReadAllBytes(png));
    }

    [Theory]
    [InlineData(3, "num_inference_steps = 0", "schedule", "--steps", "0")]
    [InlineData(3, "between 1 and num_train_timesteps (40)", "schedule", "--steps", "41")]
    [InlineData(3, "not both", "schedule", "--steps", "4", "--timesteps", "22,0")]
    [InlineData(3, "strictly descending", "schedule", "--timesteps", "0,22")]
    [InlineData(3, "below num_train_timesteps (40)", "schedule", "--timesteps", "40,0")]
    [InlineData(3, ">= 0", "schedule", "--timesteps", "5,-3")]
    [InlineData(3, "is not an integer", "schedule", "--timesteps", "22,x")]
    [InlineData(3, "sigma_min = abc: must be a finite number > 0", "schedule", "--sigma-min", "abc")]
    [InlineData(3, "--sigma-max", "schedule", "--sigma-min", "5", "--sigma-max", "1")]
    [InlineData(3, "num_train_timesteps = 1: must be an integer >= 2", "schedule", "--num-train-timesteps", "1")]
    [InlineData(3, "clip_denoised = maybe: must be true or false", "schedule", "--clip-denoised", "maybe")]
    [InlineData(3, "s_noise = -1", "schedule", "--s-noise", "-1")]
    [InlineData(3, "rho = NaN", "schedule", "--rho", "NaN")]
    [InlineData(3, "sigma_data = 0", "schedule", "--sigma-data", "0")]
    [InlineData(3, "no such file", "schedule", "--config", "/nonexistent/scheduler_config.json")]
    [InlineData(2, "Unknown option", "schedule", "--bogus")]
    [InlineData(2, "usage", "schedule", "--format", "yaml")]
    [InlineData(2, "usage", "schedule", "--steps", "four")]
    [InlineData(2, "usage", "nonsense")]
    [InlineData(2, "--plot needs a value", "schedule", "--plot")]
    [InlineData(2, "--out needs a value", "config", "init", "--out", "--force")]
    [InlineData(2, "-c needs a value", "config", "show", "-c")]
    public void Bad_input_exits_with_its_code_and_names_the_problem(int code, string message, params string[] args)
    {
        var r = CliHarness.Run(args);
        Assert.True(code == r.Code, r.ToString());
        Assert.Contains(message, r.Err, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Every_config_problem_is_listed_at_once()
    {
        var r = CliHarness.Run("schedule", "--sigma-min", "abc", "--rho", "-1", "--s-noise", "x");
        Assert.Equal(3, r.Code);
        Assert.Contains("sigma_min", r.Err);
        Assert.Contains("rho", r.Err);
        Assert.Contains("s_noise", r.Err);
        Assert.Contains("--rho", r.Err);
    }

    [Fact]
    public void Unknown_keys_in_the_config_file_are_warned_about_on_stderr()
    {
        using var dir = new TempDir();
        var file = dir.Write("c.json", """{"timestep_spacing": "leading"}""");
        var r = CliHarness.Run("schedule", "--config", file, "--format", "json");
        Assert.Equal(0, r.Code);
        Assert.Contains("warning", r.Err);
        Assert.Contains("timestep_spacing", r.Err);
        ScheduleJsonCheck.MatchesCore(r.Out, ValidConfig.Default, TimestepSpec.OfIndices(22, 0));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("schedule", "--help")]
    [InlineData("config", "init", "--help")]
    public void Help_lists_exit_codes_and_examples(params string[] args)
    {
        var r = CliHarness.Run(args);
        Assert.Equal(0, r.Code);
        Assert.Contains("EXIT CODES", r.Out);
        Assert.Contains("invalid input", r.Out);
        Assert.Contains("EXAMPLES", r.Out);
    }
}
