using System.Text;
using System.Text.Json;
using Cm.Pure.Traces;
using Cm.Pure.Verification;
using LanguageExt;

namespace Cm.Cli.Traces;

/// <summary>
/// The <c>--json</c> documents of <c>cm verify</c> (<c>cm-verify/1</c>), <c>cm replay</c> (<c>cm-replay/1</c>) and
/// <c>cm diff</c> (<c>cm-diff/1</c>); schemas in docs/cli.md. One object per run, on stdout.
/// </summary>
public static class TraceJson
{
    /// <summary>The verdict of <c>cm verify</c>.</summary>
    public static string Verify(string trace, VerifyReport r) => Document(w =>
    {
        w.WriteString("schema", "cm-verify/1");
        w.WriteString("trace", trace);
        w.WriteBoolean("ok", r.Ok);
        w.WriteNumber("lines", r.Lines);
        w.WriteNumber("steps", r.Steps);
        w.WriteBoolean("complete", r.Complete);
        w.WriteBoolean("steps_recomputed", r.StepsRecomputed);
        w.WriteBoolean("noise_regenerated", r.NoiseRegenerated);
        // The verification levels (docs/attestations.md): reached, not reached (and why), and the one a failure was caught at.
        w.WriteStartArray("levels_reached");
        foreach (var l in r.Levels.Reached) w.WriteStringValue(l.Name());
        w.WriteEndArray();
        w.WriteStartArray("levels_not_reached");
        foreach (var u in r.Levels.Unreached)
        {
            w.WriteStartObject();
            w.WriteString("level", u.Level.Name());
            w.WriteString("why", u.Why);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WritePropertyName("failed_at_level");
        r.Levels.Failure.Match(f => w.WriteStringValue(f.Level.Name()), () => w.WriteNullValue());
        w.WriteStartArray("notes");
        r.Note.IfSome(w.WriteStringValue);
        w.WriteEndArray();
        Failure(w, "failure", r.Failure);
    });

    /// <summary>The verdict of <c>cm replay</c>.</summary>
    public static string Replay(string trace, string model, ReplayReport r) => Document(w =>
    {
        w.WriteString("schema", "cm-replay/1");
        w.WriteString("trace", trace);
        w.WriteBoolean("ok", r.Ok);
        w.WriteString("model", model);
        w.WriteNumber("steps", r.Steps);
        Failure(w, "divergence", r.Divergence);
    });

    /// <summary>The outcome of <c>cm diff</c>.</summary>
    public static string Diff(string a, string b, IEnumerable<string> ignored, Option<Divergence> d) => Document(w =>
    {
        w.WriteString("schema", "cm-diff/1");
        w.WriteString("a", a);
        w.WriteString("b", b);
        w.WriteBoolean("identical", d.IsNone);
        w.WriteStartArray("ignored");
        foreach (var i in ignored) w.WriteStringValue(i);
        w.WriteEndArray();
        w.WritePropertyName("divergence");
        d.Match(x =>
        {
            w.WriteStartObject();
            w.WriteNumber("line", x.Line);
            Step(w, x.Step);
            w.WriteString("field", x.Field);
            w.WriteString("a", x.A);
            w.WriteString("b", x.B);
            w.WriteEndObject();
        }, () => w.WriteNullValue());
    });

    private static void Failure(Utf8JsonWriter w, string name, Option<TraceFailure> f)
    {
        w.WritePropertyName(name);
        f.Match(x =>
        {
            w.WriteStartObject();
            w.WriteNumber("line", x.Line);
            Step(w, x.Step);
            w.WriteString("field", x.Field);
            w.WriteString("expected", x.Expected);
            w.WriteString("found", x.Found);
            w.WriteString("message", x.Message);
            w.WriteEndObject();
        }, () => w.WriteNullValue());
    }

    private static void Step(Utf8JsonWriter w, Option<int> step)
    {
        w.WritePropertyName("step");
        step.Match(s => w.WriteNumberValue(s), () => w.WriteNullValue());
    }

    private static string Document(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
