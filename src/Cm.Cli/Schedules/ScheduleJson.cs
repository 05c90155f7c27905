using Cm.Pure.Config;
using System.Diagnostics.Contracts;
using System.Text;
using System.Text.Json;
using Cm.Runtime.Text;

namespace Cm.Cli.Schedules;

/// <summary>
/// The schedule as JSON, schema <c>cm.schedule/1</c> (docs/schedule-json.md). Every number is the
/// shortest decimal that parses back to the same double (a float32 as the exact double of its value), and
/// every float carries its IEEE bit pattern as hex, so scripts can check exactness without trusting a parser.
/// </summary>
public static class ScheduleJson
{
    /// <summary>The schema identifier; bumped on any incompatible change.</summary>
    public const string Schema = "cm.schedule/1";

    /// <summary>The JSON text (two-space indent, final newline).</summary>
    [Pure]
    public static string Render(ScheduleView v)
    {
        var c = v.Config;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteStartObject("config");
            ConfigJson.WriteProperties(w, c.Value, F64);
            w.WriteEndObject();

            w.WriteStartObject("request");
            v.Schedule.Spec.Match<int>(
                steps: n => { w.WriteNumber("num_inference_steps", n); w.WriteNull("timesteps"); return 0; },
                custom: list => { w.WriteNull("num_inference_steps"); Ints(w, "timesteps", list); return 0; });
            w.WriteEndObject();

            w.WriteNumber("steps_count", v.Schedule.Steps);
            w.WriteBoolean("custom_timesteps", v.Schedule.IsCustom);
            Ints(w, "indices", v.Schedule.Indices);
            F64(w, "init_noise_sigma", c.InitNoiseSigma);
            w.WriteStartArray("timesteps");
            foreach (var t in v.Schedule.Timesteps) w.WriteRawValue(ShortestFloat.Format(t));
            w.WriteEndArray();
            w.WriteStartArray("timesteps_bits");
            foreach (var t in v.Schedule.Timesteps) w.WriteStringValue(ShortestFloat.Bits(t));
            w.WriteEndArray();
            w.WriteStartArray("sigmas");
            foreach (var s in v.Schedule.Sigmas) w.WriteRawValue(ShortestFloat.Format(s));
            w.WriteEndArray();
            w.WriteStartArray("sigmas_bits");
            foreach (var s in v.Schedule.Sigmas) w.WriteStringValue(ShortestFloat.Bits(s));
            w.WriteEndArray();

            w.WriteStartArray("steps");
            foreach (var s in v.Steps)
            {
                w.WriteStartObject();
                w.WriteNumber("i", s.Index);
                w.WriteNumber("index", v.Schedule.Indices[s.Index]);
                F64(w, "timestep", s.Timestep);
                F32(w, "sigma", s.Sigma);
                F32(w, "sigma_next", s.SigmaNext);
                F32(w, "sigma_hat", s.SigmaHat);
                F32(w, "noise_scale", s.NoiseScale);
                F32(w, "c_skip", s.CSkip);
                F32(w, "c_out", s.COut);
                F32(w, "input_divisor", s.InputDivisor);
                F32(w, ConfigKeys.SNoise, s.SNoise);
                w.WriteBoolean("draws_noise", s.DrawsNoise);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void F64(Utf8JsonWriter w, string name, double x)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(ShortestFloat.Format(x));
        w.WriteString(name + "_bits", ShortestFloat.Bits(x));
    }

    private static void F32(Utf8JsonWriter w, string name, float x)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(ShortestFloat.Format(x));
        w.WriteString(name + "_bits", ShortestFloat.Bits(x));
    }

    private static void Ints(Utf8JsonWriter w, string name, IEnumerable<int> xs)
    {
        w.WriteStartArray(name);
        foreach (var x in xs) w.WriteNumberValue(x);
        w.WriteEndArray();
    }
}
