using System.Buffers;
using System.Text.Json;
using Cm.Pure.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Attestations;

/// <summary>One signature of an envelope: the signer's key id (a hint, not authenticated) and the signature bytes.</summary>
public sealed record DsseSignature(string KeyId, byte[] Sig);

/// <summary>
/// A DSSE envelope (envelope.md): <c>{"payload": b64, "payloadType": t, "signatures": [{"keyid": k, "sig": b64}]}</c>.
/// Written with standard base64; read with standard or URL-safe base64, as the spec allows.
/// </summary>
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, Seq<DsseSignature> Signatures)
{
    /// <summary>The bytes every signature signs: <see cref="Dsse.Pae"/> of this envelope's type and payload.</summary>
    public byte[] Pae => Dsse.Pae(PayloadType, Payload);

    /// <summary>The envelope as one line of JSON (ends with a newline).</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("payloadType", PayloadType);
            w.WriteString("payload", Convert.ToBase64String(Payload));
            w.WriteStartArray("signatures");
            foreach (var s in Signatures)
            {
                w.WriteStartObject();
                w.WriteString("keyid", s.KeyId);
                w.WriteString("sig", Convert.ToBase64String(s.Sig));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>Reads an envelope; every field is checked, unknown fields are refused.</summary>
    public static Fin<DsseEnvelope> Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Bad("envelope", "a JSON object", root.ValueKind.ToString());
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("payload" or "payloadType" or "signatures"))
                    return Bad(p.Name, "only payload, payloadType and signatures", $"the key \"{Short(p.Name)}\"");
            return
                from type in Str(root, "payloadType")
                from payloadText in Str(root, "payload")
                from payload in Base64(payloadText, "payload")
                from signatures in ReadSignatures(root)
                select new DsseEnvelope(type, payload, signatures);
        }
        catch (JsonException e)
        {
            return Bad("envelope", "one JSON object (a DSSE envelope)", Short(e.Message));
        }
    }

    private static Fin<Seq<DsseSignature>> ReadSignatures(JsonElement root)
    {
        if (!root.TryGetProperty("signatures", out var a) || a.ValueKind != JsonValueKind.Array)
            return Bad<Seq<DsseSignature>>("signatures", "an array of signatures", "none");
        return toSeq(a.EnumerateArray().ToArray()).Sequence(s =>
            s.ValueKind != JsonValueKind.Object
                ? Bad<DsseSignature>("signatures[]", "an object {keyid, sig}", s.ValueKind.ToString())
                : from sigText in Str(s, "sig")
                  from sig in Base64(sigText, "signatures[].sig")
                  select new DsseSignature(s.TryGetProperty("keyid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "", sig));
    }

    private static Fin<string> Str(JsonElement o, string key) =>
        o.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
            ? FinSucc(v.GetString()!)
            : Bad<string>(key, "a string", "none");

    private static Fin<byte[]> Base64(string text, string field)
    {
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + (4 - standard.Length % 4) % 4, '=');
        var bytes = new byte[standard.Length / 4 * 3];
        return Convert.TryFromBase64String(standard, bytes, out var n)
            ? FinSucc(bytes[..n])
            : Bad<byte[]>(field, "base64", "other text");
    }

    private static string Short(string s) => s.Length <= 80 ? s : s[..77] + "...";

    private static Fin<DsseEnvelope> Bad(string field, string expected, string found) => new AttestationFailure(field, expected, found);

    private static Fin<T> Bad<T>(string field, string expected, string found) => new AttestationFailure(field, expected, found);
}
