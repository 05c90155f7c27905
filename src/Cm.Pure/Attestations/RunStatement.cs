using System.Buffers;
using System.Text.Json;
using Cm.Pure.Errors;
using Cm.Pure.Traces;
using Cm.Pure.Verification;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Attestations;

/// <summary>
/// The in-toto Statement v1 of a Cm run (docs/attestations.md): the trace and the outputs as subjects,
/// and the Cm run predicate: the run header as the trace holds it, the header's and the footer's chain
/// hashes, the step count, and the verification levels the signer reached. One home for its JSON.
/// </summary>
public static class RunStatement
{
    /// <summary>The in-toto Statement type.</summary>
    public const string StatementType = "https://in-toto.io/Statement/v1";

    /// <summary>The Cm run predicate type (version 1, schema in docs/attestations.md).</summary>
    public const string PredicateType = "urn:cm:predicate:run:v1";

    /// <summary>The longest statement a reader accepts (the header is small; the statement names files, not tensors).</summary>
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>
    /// The statement for a trace that verified: refuses one that did not (a signature must never vouch for
    /// a trace its own verifier rejects). <paramref name="headerLine"/> is the trace's first line, as written.
    /// </summary>
    public static Fin<byte[]> For(VerifyReport report, ReadOnlySpan<byte> headerLine, Seq<Subject> subjects, string producer)
    {
        var header = headerLine.ToArray();
        return report.Levels.Failure.Match(
            Some: f => FinFail<byte[]>(f),
            None: () =>
                from h in report.Header.ToFin(new AttestationFailure("trace", "a verified header", "none"))
                from chain in report.FinalChainHash.ToFin(new AttestationFailure("trace", "a footer sealing the chain", "none"))
                from same in TensorHash.OfBytes(header) == h.Hash
                    ? FinSucc(unit)
                    : FinFail<Unit>(new AttestationFailure("header", $"the verified header line (SHA-256 {h.Hash})", "other bytes"))
                select Write(subjects, header, h.Hash, chain, report.Steps, report.Levels.Reached, producer));
    }

    private static byte[] Write(Seq<Subject> subjects, byte[] headerLine, string headerHash, string chain, int steps,
        Set<VerificationLevel> levels, string producer)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            using var header = JsonDocument.Parse(headerLine);
            w.WriteStartObject();
            w.WriteString("_type", StatementType);
            w.WriteStartArray("subject");
            foreach (var s in subjects)
            {
                w.WriteStartObject();
                w.WriteString("name", s.Name);
                w.WriteStartObject("digest");
                w.WriteString("sha256", s.Sha256);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("predicateType", PredicateType);
            w.WriteStartObject("predicate");
            w.WriteStartObject("trace");
            w.WriteString("format", TraceFormat.Name);
            w.WriteNumber("version", TraceFormat.Version);
            w.WriteString("header_sha256", headerHash);
            w.WriteString("final_chain_hash", chain);
            w.WriteNumber("steps", steps);
            w.WriteEndObject();
            w.WritePropertyName("run");
            header.RootElement.WriteTo(w);
            w.WriteStartObject("verification");
            w.WriteStartArray("levels");
            foreach (var l in VerificationLevels.All.Filter(levels.Contains)) w.WriteStringValue(l.Name());
            w.WriteEndArray();
            w.WriteString("verifier", producer);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a statement's claims back; anything not a Cm run statement v1 is refused with the field named.</summary>
    public static Fin<RunClaims> Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxBytes) return Bad<RunClaims>("payload", $"at most {MaxBytes} bytes", $"{payload.Length} bytes");
        try
        {
            using var doc = JsonDocument.Parse(payload.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            var root = doc.RootElement;
            return
                from type in Str(root, "_type")
                from _1 in type == StatementType ? FinSucc(unit) : Bad<Unit>("_type", StatementType, type)
                from ptype in Str(root, "predicateType")
                from _2 in ptype == PredicateType ? FinSucc(unit) : Bad<Unit>("predicateType", PredicateType, ptype)
                from subjects in Subjects(root)
                from predicate in Obj(root, "predicate")
                from trace in Obj(predicate, "trace")
                from headerHash in Digest(trace, "header_sha256")
                from chain in Digest(trace, "final_chain_hash")
                from steps in Int(trace, "steps")
                from verification in Obj(predicate, "verification")
                from levels in Levels(verification)
                select new RunClaims(subjects, headerHash, chain, steps, levels);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return Bad<RunClaims>("payload", "an in-toto Statement (JSON)", e.Message.Length <= 80 ? e.Message : e.Message[..77] + "...");
        }
    }

    /// <summary>
    /// Whether the claims are about this trace: a subject with the trace file's SHA-256, and the header's
    /// and the footer's chain hashes of the verified trace.
    /// </summary>
    public static Option<AttestationFailure> Check(RunClaims claims, string traceSha256, VerifyReport report)
    {
        if (!claims.Subjects.Exists(s => s.Sha256 == traceSha256))
            return new AttestationFailure("subject", $"a subject with the trace's SHA-256 {traceSha256}",
                claims.Subjects.IsEmpty ? "no subjects" : string.Join(", ", claims.Subjects.Map(s => $"{s.Name} {s.Sha256}")));
        var header = report.Header.Map(h => h.Hash).IfNone("none");
        if (claims.HeaderSha256 != header)
            return new AttestationFailure("predicate.trace.header_sha256", header, claims.HeaderSha256);
        var chain = report.FinalChainHash.IfNone("none");
        return claims.FinalChainHash != chain
            ? new AttestationFailure("predicate.trace.final_chain_hash", chain, claims.FinalChainHash)
            : None;
    }

    private static Fin<Seq<Subject>> Subjects(JsonElement root) =>
        root.TryGetProperty("subject", out var a) && a.ValueKind == JsonValueKind.Array
            ? toSeq(a.EnumerateArray().ToArray()).Sequence(s =>
                from name in Str(s, "name")
                from digest in Obj(s, "digest")
                from sha in Digest(digest, "sha256")
                select new Subject(name, sha))
            : Bad<Seq<Subject>>("subject", "an array of subjects", "none");

    private static Fin<Set<VerificationLevel>> Levels(JsonElement v) =>
        v.TryGetProperty("levels", out var a) && a.ValueKind == JsonValueKind.Array
            ? toSeq(a.EnumerateArray().ToArray()).Sequence(l =>
                    l.ValueKind == JsonValueKind.String
                        ? VerificationLevels.Parse(l.GetString()!).ToFin(new AttestationFailure("predicate.verification.levels", "level names", l.GetRawText()))
                        : Bad<VerificationLevel>("predicate.verification.levels", "level names", l.GetRawText()))
                .Map(ls => toSet(ls.Distinct()))
            : Bad<Set<VerificationLevel>>("predicate.verification.levels", "an array of level names", "none");

    private static Fin<JsonElement> Obj(JsonElement o, string key) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Object
            ? FinSucc(v)
            : Bad<JsonElement>(key, "an object", "none");

    private static Fin<string> Str(JsonElement o, string key) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
            ? FinSucc(v.GetString()!)
            : Bad<string>(key, "a string", "none");

    private static Fin<int> Int(JsonElement o, string key) =>
        o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
            ? FinSucc(i)
            : Bad<int>(key, "an integer", "none");

    private static Fin<string> Digest(JsonElement o, string key) =>
        Str(o, key).Bind(s => TensorHash.IsDigest(s) ? FinSucc(s) : Bad<string>(key, "64 lowercase hex digits", s.Length <= 80 ? s : s[..77] + "..."));

    private static Fin<T> Bad<T>(string field, string expected, string found) => new AttestationFailure(field, expected, found);
}
