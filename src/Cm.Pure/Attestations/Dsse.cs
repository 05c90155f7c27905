using System.Text;

namespace Cm.Pure.Attestations;

/// <summary>
/// DSSE v1 (Dead Simple Signing Envelope, secure-systems-lab/dsse, protocol.md): what is signed is not the
/// payload but its pre-authentication encoding, which binds the payload type to the bytes so a signature
/// over one type cannot be replayed as another.
/// </summary>
public static class Dsse
{
    /// <summary>The payload type of an in-toto Statement.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>
    /// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, where LEN is the byte length
    /// as ASCII decimal without leading zeros and type is UTF-8.
    /// </summary>
    public static byte[] Pae(string payloadType, ReadOnlySpan<byte> payload)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var prefix = Encoding.ASCII.GetBytes($"DSSEv1 {type.Length} ");
        var middle = Encoding.ASCII.GetBytes($" {payload.Length} ");
        var pae = new byte[prefix.Length + type.Length + middle.Length + payload.Length];
        prefix.CopyTo(pae, 0);
        type.CopyTo(pae, prefix.Length);
        middle.CopyTo(pae, prefix.Length + type.Length);
        payload.CopyTo(pae.AsSpan(prefix.Length + type.Length + middle.Length));
        return pae;
    }
}
