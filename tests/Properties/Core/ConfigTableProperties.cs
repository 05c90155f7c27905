using System.Text;
using System.Text.Json;
using Cm.Pure.Config;
using FsCheck.Xunit;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Core;

/// <summary>The one table of settings (ConfigFields) against the record it describes, and the readers and writer that follow it.</summary>
[Properties(Arbitrary = [typeof(Arbitraries)])]
public sealed class ConfigTableProperties
{
    [Fact]
    public void The_table_names_every_parameter_of_the_record_once_in_its_order()
    {
        // The record's own constructor, by reflection: a setting added to SchedulerConfig and not to the table fails here.
        var parameters = typeof(SchedulerConfig).GetConstructors().Single(c => c.GetParameters().Length > 1)
            .GetParameters().Select(p => p.Name).ToArray();
        Assert.Equal(parameters, ConfigFields.All.Select(f => f.Key).ToArray());
        Assert.Equal(parameters, ConfigKeys.Settings.ToArray());
    }

    [Property]
    public bool Setting_every_field_from_a_config_rebuilds_that_config(AnyConfig any)
    {
        var c = any.Value;
        var rebuilt = ConfigFields.All.Aggregate(SchedulerConfig.Default with { num_train_timesteps = 3, sigma_min = 9, sigma_max = 10, sigma_data = 11, s_noise = 12, rho = 13, clip_denoised = !c.clip_denoised },
            (acc, f) => f switch
            {
                ConfigField.Integer i => i.With(acc, i.Get(c)),
                ConfigField.Number n => n.With(acc, n.Get(c)),
                ConfigField.Boolean b => b.With(acc, b.Get(c)),
                _ => acc,
            });
        return rebuilt == c;
    }

    [Fact]
    public void The_writer_spells_integers_and_booleans_alike_and_float64s_as_the_schema_asks()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            ConfigJson.WriteProperties(w, SchedulerConfig.Default, (writer, key, d) => writer.WriteString(key, "x" + d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            w.WriteEndObject();
        }
        Assert.Equal(
            """{"num_train_timesteps":40,"sigma_min":"x0.002","sigma_max":"x80","sigma_data":"x0.5","s_noise":"x1","rho":"x7","clip_denoised":true}""",
            Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void Text_is_read_by_the_setting_s_kind_and_an_unknown_key_is_a_problem()
    {
        Assert.Equal(SchedulerConfig.Default with { rho = 1e-3 }, ConfigText.Read(SchedulerConfig.Default, "rho", " 1e-3 ").IfLeft(_ => SchedulerConfig.Default with { rho = -1 }));
        Assert.Equal(ConfigAllowed.NumTrainTimesteps, ConfigText.Read(SchedulerConfig.Default, "num_train_timesteps", "4.5").Match(Left: p => p.Allowed, Right: _ => ""));
        Assert.Equal(ConfigAllowed.ClipDenoised, ConfigText.Read(SchedulerConfig.Default, "clip_denoised", "yes").Match(Left: p => p.Allowed, Right: _ => ""));
        Assert.Contains("a scheduler setting", ConfigText.Read(SchedulerConfig.Default, "sigma", "1").Match(Left: p => p.Allowed, Right: _ => ""));
    }

    [Fact]
    public void A_key_with_a_type_problem_is_reported_once_and_the_other_keys_value_problems_still_are()
    {
        // rho kept a bad value behind its type problem; sigma_min's value is bad on its own.
        var c = SchedulerConfig.Default with { rho = -1, sigma_min = -1 };
        var typeProblem = new ConfigProblem(ConfigKeys.Rho, "\"seven\"", ConfigAllowed.Rho);
        var problems = ConfigValidation.Validate(c, Seq1(typeProblem)).Match(Succ: _ => [], Fail: ps => ps.ToArray());
        Assert.Equal([typeProblem, new ConfigProblem(ConfigKeys.SigmaMin, "-1", ConfigAllowed.SigmaMin)], problems);
        Assert.True(ConfigValidation.Validate(SchedulerConfig.Default, Seq<ConfigProblem>()).IsSuccess);
    }
}
