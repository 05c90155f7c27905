using Cm.Pure.Config;
using Cm.Runtime.Configs;
using Cm.Tests.Golden;
using FsCheck.Xunit;
using LanguageExt;
using Xunit;

namespace Cm.Tests.Cli;

public sealed class DiffusersConfigJsonTests
{
    private const string Upstream = UpstreamConfig.Text;

    private static LoadedConfig Ok(string json) =>
        DiffusersConfigJson.Parse(json).Match(Succ: l => l, Fail: ps => throw new Xunit.Sdk.XunitException(string.Join("; ", ps)));

    private static ConfigProblem[] Problems(string json) =>
        DiffusersConfigJson.Parse(json).Match(Succ: _ => throw new Xunit.Sdk.XunitException("accepted"), Fail: ps => ps.ToArray());

    [Fact]
    public void Reads_upstream_file_and_writes_it_back_byte_for_byte()
    {
        var loaded = Ok(Upstream);
        Assert.Equal(SchedulerConfig.Default, loaded.Valid.Value);
        Assert.Equal("0.17.0.dev0", loaded.Document.DiffusersVersion);
        Assert.Empty(loaded.Warnings);
        Assert.Equal(Upstream.ReplaceLineEndings("\n"), DiffusersConfigJson.Encode(loaded.Document));
    }

    [Fact]
    public void Missing_keys_take_diffusers_defaults()
    {
        var loaded = Ok("""{"sigma_max": 50}""");
        Assert.Equal(SchedulerConfig.Default with { sigma_max = 50 }, loaded.Valid.Value);
        Assert.Null(loaded.Document.DiffusersVersion);
        Assert.Equal(SchedulerConfig.Default, Ok("{}").Valid.Value);
    }

    [Fact]
    public void Unknown_keys_are_warnings_and_survive_a_round_trip()
    {
        var json = """{"timestep_spacing": "leading", "extra": [1, 2.50], "_use_default_values": ["rho"]}""";
        var loaded = Ok(json);
        var w = Assert.Single(loaded.Warnings.Where(w => w.Key == "timestep_spacing"));
        Assert.Contains("unknown key", w.Message);
        Assert.Equal(2, loaded.Warnings.Count); // underscore keys are diffusers metadata: no warning
        var again = Ok(DiffusersConfigJson.Encode(loaded.Document));
        Assert.Equal(loaded.Document.UnknownKeys.Select(k => k.Key).Order(), again.Document.UnknownKeys.Select(k => k.Key).Order());
        Assert.Equal(DiffusersConfigJson.Encode(loaded.Document), DiffusersConfigJson.Encode(again.Document));
    }

    [Fact]
    public void Foreign_class_name_is_rejected_naming_the_class()
    {
        var p = Assert.Single(Problems("""{"_class_name": "EulerDiscreteScheduler"}"""));
        Assert.Equal("_class_name", p.Key);
        Assert.Contains("CMStochasticIterativeScheduler", p.Allowed);
    }

    [Fact]
    public void Every_problem_is_listed_type_and_value_alike()
    {
        var ps = Problems("""{"num_train_timesteps": 40.5, "sigma_min": "0.002", "sigma_max": -1, "rho": 0, "clip_denoised": 1, "_diffusers_version": 17}""");
        Assert.Equal(
            new[] { "num_train_timesteps", "sigma_min", "sigma_max", "rho", "clip_denoised", "_diffusers_version" }.Order(),
            ps.Select(p => p.Key).Order());
        Assert.Equal("\"0.002\"", ps.Single(p => p.Key == "sigma_min").Found);
        Assert.Contains("> 0", ps.Single(p => p.Key == "rho").Allowed);
        Assert.Equal("true or false", ps.Single(p => p.Key == "clip_denoised").Allowed);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"rho\": 7,}")]
    public void Malformed_documents_are_one_problem_at_the_root(string json) =>
        Assert.Equal("$", Assert.Single(Problems(json)).Key);

    [Fact]
    public void Duplicate_keys_are_rejected() =>
        Assert.Equal("rho", Assert.Single(Problems("""{"rho": 7, "rho": 5}""")).Key);

    [Fact]
    public void Decode_checks_types_but_not_values()
    {
        Assert.True(DiffusersConfigJson.Decode("""{"sigma_min": -1}""").IsSuccess);
        Assert.True(DiffusersConfigJson.Decode("""{"sigma_min": null}""").IsFail);
    }

    [Property(MaxTest = 300)]
    public bool Valid_configs_round_trip_exactly(int n, double smin, double span, double sd, double sn, double rho, bool clip, bool version)
    {
        var c = new SchedulerConfig(2 + Math.Abs(n % 5000), Math.Abs(smin) + 1e-9, 0, Math.Abs(sd) + 1e-3, Math.Abs(sn), Math.Abs(rho) + 1e-3, clip);
        c = c with { sigma_max = c.sigma_min + Math.Abs(span) + 1e-6 };
        if (!ConfigValidation.Validate(c).IsSuccess) return true; // infinities from huge inputs
        var doc = new ConfigDocument(c, version ? "0.30.0" : null, []);
        var text = DiffusersConfigJson.Encode(doc);
        var back = Ok(text).Document;
        return back.Equals(doc) && DiffusersConfigJson.Encode(back) == text
            && BitConverter.DoubleToInt64Bits(back.Config.sigma_min) == BitConverter.DoubleToInt64Bits(c.sigma_min);
    }
}
