using Cm.Cli.Commands;
using Cm.Cli.Options;
using Cm.Pure.Config;
using Cm.Pure.Errors;
using Cm.Pure.Schedules;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>The shared option classes and the pure functions behind them (what <c>cm sample</c> will reuse).</summary>
public sealed class OptionTests
{
    [Fact]
    public void Overrides_list_only_the_given_options_in_key_order()
    {
        var s = new ScheduleCommandSettings { Rho = "5", SigmaMin = "0.01", ClipDenoised = "false" };
        Assert.Equal([("sigma_min", "0.01"), ("rho", "5"), ("clip_denoised", "false")], s.Overrides());
        Assert.Empty(new ConfigSettings().Overrides());
    }

    [Fact]
    public void Overrides_apply_on_top_and_validate()
    {
        var v = ConfigOverrides.Apply(SchedulerConfig.Default, [("sigma_max", "1e2"), ("num_train_timesteps", "151")]);
        Assert.Equal(SchedulerConfig.Default with { sigma_max = 100, num_train_timesteps = 151 },
            v.Match(c => c.Value, _ => throw new Xunit.Sdk.XunitException("rejected")));
        var bad = ConfigOverrides.Apply(SchedulerConfig.Default, [("sigma_max", "x"), ("rho", "0")]);
        Assert.Equal(["sigma_max", "rho"], bad.Match(_ => throw new Xunit.Sdk.XunitException("accepted"), ps => ps.Select(p => p.Key).ToArray()));
    }

    [Fact]
    public void Effective_config_resolves_defaults_without_a_file()
    {
        var loaded = EffectiveConfig.Resolve(new ScheduleSettings { SNoise = "0" }).Match(l => l, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(SchedulerConfig.Default with { s_noise = 0 }, loaded.Valid.Value);
    }

    [Fact]
    public void Invalid_effective_config_names_key_and_option()
    {
        var e = EffectiveConfig.Resolve(new ConfigSettings { SigmaData = "-1" }).Match(_ => throw new Xunit.Sdk.XunitException("accepted"), e => e);
        Assert.True(CmError.KindOf(e) == ErrorKind.InvalidInput);
        Assert.Contains("sigma_data", e.Message);
        Assert.Contains("--sigma-data", e.Message);
    }

    [Fact]
    public void Schedule_request_defaults_to_22_0()
    {
        Assert.Equal(TimestepSpec.OfIndices(22, 0), ScheduleRequest.From(null, null).Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message)));
        Assert.Equal(TimestepSpec.OfSteps(4), ScheduleRequest.From(new ScheduleSettings { Steps = 4 }).Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message)));
        Assert.Equal(TimestepSpec.OfIndices(39, 20, 0), ScheduleRequest.From(null, " 39, 20 ,0").Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message)));
    }

    [Theory]
    [InlineData(4, "22,0")]
    [InlineData(null, "")]
    [InlineData(null, "1,,0")]
    [InlineData(null, "1.5")]
    public void Malformed_schedule_requests_are_invalid_schedules(int? steps, string timesteps) =>
        Assert.IsType<InvalidSchedule>(ScheduleRequest.From(steps, timesteps).Match(_ => throw new Xunit.Sdk.XunitException("accepted"), e => e));
}
