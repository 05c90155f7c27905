using System.Collections.Immutable;
using System.Diagnostics.Contracts;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Runtime.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Configs;

/// <summary>
/// diffusers' <c>scheduler_config.json</c> as text, both ways, without I/O. Reading reports every
/// problem at once (JSON syntax, types, a foreign <c>_class_name</c>, then the value rules of
/// <see cref="ConfigValidation"/>); missing keys take diffusers' defaults. Writing produces what diffusers
/// writes (<c>json.dumps(indent=2, sort_keys=True)</c> plus a newline, numbers as Python's repr), so
/// reading and writing round-trip exactly.
/// </summary>
public static class DiffusersConfigJson
{
    private const string Root = "$";

    /// <summary>Reads the file's structure and types; the values are not yet checked against the rules.</summary>
    [Pure]
    public static Validation<ConfigProblem, ConfigRead> Decode(string json)
    {
        var d = DecodeAll(json);
        return d.Problems.IsEmpty
            ? Success<ConfigProblem, ConfigRead>(d.Read)
            : Fail<ConfigProblem, ConfigRead>(d.Problems.ToSeq());
    }

    /// <summary>
    /// Reads and validates: every problem of the file, type and value alike (a key with the wrong type is
    /// reported once, not again by the value rules).
    /// </summary>
    [Pure]
    public static Validation<ConfigProblem, LoadedConfig> Parse(string json)
    {
        var d = DecodeAll(json);
        return ConfigValidation.Validate(d.Read.Document.Config, d.Problems.ToSeq())
            .Map(valid => new LoadedConfig(valid, d.Read.Document, d.Read.Warnings));
    }

    /// <summary>The file diffusers would write for <paramref name="doc"/>: keys sorted, two-space indent, final newline.</summary>
    [Pure]
    public static string Encode(ConfigDocument doc)
    {
        var entries = new List<(string Key, Action<Utf8JsonWriter> Write)>
        {
            (ConfigKeys.ClassName, w => w.WriteString(ConfigKeys.ClassName, ConfigKeys.ClassNameValue)),
        };
        entries.AddRange(ConfigJson.Properties(doc.Config, Number));
        if (doc.DiffusersVersion is { } version)
            entries.Add((ConfigKeys.DiffusersVersion, w => w.WriteString(ConfigKeys.DiffusersVersion, version)));
        foreach (var (key, raw) in doc.UnknownKeys)
            entries.Add((key, w => Raw(w, key, raw)));

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            foreach (var (_, write) in entries.OrderBy(e => e.Key, StringComparer.Ordinal)) write(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// diffusers' spelling of a float64 (<see cref="ConfigJson"/>): Python's repr, non-finite values as Python's
    /// <c>json</c> writes them (<c>NaN</c>, <c>Infinity</c>; valid configs have none).
    /// </summary>
    private static void Number(Utf8JsonWriter w, string key, double d)
    {
        w.WritePropertyName(key);
        w.WriteRawValue(ShortestFloat.Format(d), skipInputValidation: true);
    }

    private static void Raw(Utf8JsonWriter w, string key, string raw)
    {
        w.WritePropertyName(key);
        if (JsonNode.Parse(raw) is { } node) node.WriteTo(w);
        else w.WriteNullValue();
    }

    private sealed record Decoded(ConfigRead Read, ImmutableArray<ConfigProblem> Problems);

    private static Decoded DecodeAll(string json)
    {
        var empty = new ConfigRead(ConfigDocument.Of(SchedulerConfig.Default), Arr<ConfigWarning>.Empty);
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {e.BytePositionInLine + 1}" : "";
            return new Decoded(empty, [new ConfigProblem(Root, $"text that is not valid JSON{where}", "a JSON object such as diffusers writes")]);
        }

        using (parsed)
        {
            var root = parsed.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return new Decoded(empty, [new ConfigProblem(Root, $"a JSON {root.ValueKind.ToString().ToLowerInvariant()}", "a JSON object with diffusers' scheduler keys")]);

            var config = SchedulerConfig.Default;
            string? version = null;
            var unknown = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
            var warnings = new List<ConfigWarning>();
            var problems = ImmutableArray.CreateBuilder<ConfigProblem>();
            var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);

            foreach (var p in root.EnumerateObject())
            {
                var (key, value) = (p.Name, p.Value);
                if (!seen.Add(key))
                {
                    problems.Add(new ConfigProblem(key, "a second value " + value.GetRawText(), "given once"));
                    continue;
                }
                switch (key)
                {
                    case ConfigKeys.ClassName:
                        if (value.ValueKind != JsonValueKind.String || value.GetString() != ConfigKeys.ClassNameValue)
                            problems.Add(new ConfigProblem(key, value.GetRawText(),
                                $"\"{ConfigKeys.ClassNameValue}\" (this file configures another scheduler; Cm reads only consistency-model scheduler configs)"));
                        break;
                    case ConfigKeys.DiffusersVersion:
                        if (value.ValueKind == JsonValueKind.String) version = value.GetString();
                        else problems.Add(new ConfigProblem(key, value.GetRawText(), "a string such as \"0.17.0\""));
                        break;
                    default:
                        ConfigFields.Find(key).Match(
                            Some: field => ConfigJson.Read(config, field, value).Match(Right: c => config = c, Left: problems.Add),
                            None: () =>
                            {
                                unknown.Add(new(key, value.GetRawText()));
                                // diffusers keeps its own metadata under leading underscores: not worth a warning.
                                if (!key.StartsWith('_'))
                                    warnings.Add(new ConfigWarning(key,
                                        $"unknown key, ignored by Cm (kept when the file is written); known keys: {string.Join(", ", ConfigKeys.Settings)}"));
                            });
                        break;
                }
            }

            var read = new ConfigRead(new ConfigDocument(config, version, unknown.ToImmutable()), warnings.ToArr());
            return new Decoded(read, problems.ToImmutable());
        }
    }
}
