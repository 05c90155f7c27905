using System.Diagnostics.Contracts;
using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Config;

/// <summary>
/// The settings of a config as JSON properties, both ways: the one serialisation behind the trace and shard
/// manifest <c>"config"</c> object, the schedule JSON's <c>"config"</c> and diffusers' <c>scheduler_config.json</c>.
/// Integers and booleans are spelt alike everywhere; a float64 is spelt by the schema, which passes its own
/// number writer: traces and manifests use Python's <c>json</c> repr with non-finite values as strings
/// (docs/trace-format.md), diffusers' file Python's float repr with bare <c>NaN</c>/<c>Infinity</c> as
/// <c>json.dumps</c> writes them, and the schedule JSON the shortest round-trip decimal plus a
/// <c>_bits</c> sibling (docs/schedule-json.md).
/// </summary>
public static class ConfigJson
{
    /// <summary>
    /// Each setting of <paramref name="c"/> as (key, writer of that property), in <see cref="ConfigFields"/>'
    /// order; <paramref name="number"/> writes a float64 property (its name, value and any siblings).
    /// </summary>
    [Pure]
    public static IEnumerable<(string Key, Action<Utf8JsonWriter> Write)> Properties(
        SchedulerConfig c, Action<Utf8JsonWriter, string, double> number) =>
        ConfigFields.All.Select(f => (f.Key, Writer(f, c, number)));

    /// <summary>Writes every setting of <paramref name="c"/> as properties of the open object, in order.</summary>
    public static void WriteProperties(Utf8JsonWriter w, SchedulerConfig c, Action<Utf8JsonWriter, string, double> number)
    {
        foreach (var (_, write) in Properties(c, number)) write(w);
    }

    private static Action<Utf8JsonWriter> Writer(ConfigField f, SchedulerConfig c, Action<Utf8JsonWriter, string, double> number) => f switch
    {
        ConfigField.Integer i => w => w.WriteNumber(i.Key, i.Get(c)),
        ConfigField.Number n => w => number(w, n.Key, n.Get(c)),
        ConfigField.Boolean b => w => w.WriteBoolean(b.Key, b.Get(c)),
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>
    /// <paramref name="c"/> with setting <paramref name="f"/> read from a JSON value of its type (any number for
    /// a float64, non-finite included: the value rules are <see cref="ConfigValidation"/>'s), or the problem.
    /// </summary>
    [Pure]
    public static Either<ConfigProblem, SchedulerConfig> Read(SchedulerConfig c, ConfigField f, JsonElement value)
    {
        var problem = Left<ConfigProblem, SchedulerConfig>(new ConfigProblem(f.Key, value.GetRawText(), f.Allowed));
        return f switch
        {
            ConfigField.Integer i => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var v) ? i.With(c, v) : problem,
            ConfigField.Number n => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) ? n.With(c, d) : problem,
            ConfigField.Boolean b => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? b.With(c, value.GetBoolean()) : problem,
            _ => throw new System.Diagnostics.UnreachableException(),
        };
    }
}
