using System.Security.Cryptography;
using System.Text;
using Cm.Runtime.Errors;
using Cm.Runtime.Files;
using LanguageExt;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Attestations;

/// <summary>An Ed25519 private key that signs attestations, and its key id.</summary>
public sealed record SigningKey(Ed25519PrivateKeyParameters Private)
{
    /// <summary>The public half.</summary>
    public TrustedKey Public => new(Private.GeneratePublicKey());

    /// <summary>The Ed25519 signature (RFC 8032, deterministic) of <paramref name="message"/>.</summary>
    public byte[] Sign(byte[] message)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, Private);
        signer.BlockUpdate(message, 0, message.Length);
        return signer.GenerateSignature();
    }
}

/// <summary>An Ed25519 public key trusted to sign runs.</summary>
public sealed record TrustedKey(Ed25519PublicKeyParameters Key)
{
    /// <summary>The key id: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo (as <c>openssl pkey -pubin -outform DER | sha256sum</c>).</summary>
    public string KeyId => Convert.ToHexStringLower(SHA256.HashData(Ed25519Keys.PublicDer(this)));

    /// <summary>Whether <paramref name="signature"/> is this key's Ed25519 signature of <paramref name="message"/>.</summary>
    public bool Verifies(byte[] message, byte[] signature)
    {
        if (signature.Length != 64) return false;
        var verifier = new Ed25519Signer();
        verifier.Init(false, Key);
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(signature);
    }
}

/// <summary>
/// Ed25519 keys as PEM files: private keys PKCS#8 (<c>-----BEGIN PRIVATE KEY-----</c>, RFC 8410), public
/// keys SubjectPublicKeyInfo (<c>-----BEGIN PUBLIC KEY-----</c>), the forms <c>openssl genpkey -algorithm
/// ed25519</c> and <c>openssl pkey -pubout</c> write. Reads are bounded; writes are atomic, the private
/// key readable by its owner only.
/// </summary>
public static class Ed25519Keys
{
    /// <summary>The largest key or trust file read (a trust file may list many keys).</summary>
    public const int MaxKeyFileBytes = 1024 * 1024;

    /// <summary>A fresh key from the system's cryptographic random source.</summary>
    public static SigningKey Generate() => new(new Ed25519PrivateKeyParameters(new SecureRandom()));

    /// <summary>
    /// The PKCS#8 PEM of a private key, version 1 as RFC 8410 and <c>openssl genpkey</c> write it (the seed as
    /// an OCTET STRING inside the privateKey OCTET STRING, no public key attribute): OpenSSL 3.0 cannot
    /// read the version-2 form with the public key embedded.
    /// </summary>
    public static string PrivatePem(SigningKey key)
    {
        var info = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), new DerOctetString(key.Private.GetEncoded()));
        return new string(PemEncoding.Write("PRIVATE KEY", info.GetEncoded())) + "\n";
    }

    /// <summary>The DER SubjectPublicKeyInfo of a public key.</summary>
    public static byte[] PublicDer(TrustedKey key) => SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(key.Key).GetEncoded();

    /// <summary>The PEM of a public key.</summary>
    public static string PublicPem(TrustedKey key) => new string(PemEncoding.Write("PUBLIC KEY", PublicDer(key))) + "\n";

    /// <summary>Writes a new key pair: <paramref name="privatePath"/> (mode 0600) and <paramref name="publicPath"/>.</summary>
    public static Fin<SigningKey> WritePair(string privatePath, string publicPath, bool overwrite)
    {
        var key = Generate();
        return
            from _1 in AtomicFile.Write(privatePath, Encoding.ASCII.GetBytes(PrivatePem(key)), overwrite, UnixFileMode.UserRead | UnixFileMode.UserWrite)
            from _2 in AtomicFile.WriteText(publicPath, PublicPem(key.Public), overwrite)
            select key;
    }

    /// <summary>The signing key in a PKCS#8 PEM file.</summary>
    public static Fin<SigningKey> LoadPrivate(string path) =>
        BoundedFile.Read(path, MaxKeyFileBytes, r => new InvalidKey(path, r))
            .Bind(bytes => Blocks(path, bytes, "PRIVATE KEY").Bind(blocks => blocks.Count == 1
                ? ParsePrivate(path, blocks.Head)
                : FinFail<SigningKey>(new InvalidKey(path, $"expected one PRIVATE KEY block, found {blocks.Count}"))));

    /// <summary>
    /// The public keys in a PEM file: one key (<c>--trusted-key</c>) or a trust file listing several
    /// PUBLIC KEY blocks (text outside the blocks is ignored, so keys can be annotated).
    /// </summary>
    public static Fin<Seq<TrustedKey>> LoadPublic(string path) =>
        BoundedFile.Read(path, MaxKeyFileBytes, r => new InvalidKey(path, r))
            .Bind(bytes => Blocks(path, bytes, "PUBLIC KEY"))
            .Bind(blocks => blocks.Sequence(der => ParsePublic(path, der)));

    private static Fin<Seq<byte[]>> Blocks(string path, byte[] bytes, string label)
    {
        var text = Encoding.ASCII.GetString(bytes).AsSpan();
        var found = Seq<byte[]>();
        while (PemEncoding.TryFind(text, out var fields))
        {
            var l = text[fields.Label].ToString();
            if (l != label)
                return FinFail<Seq<byte[]>>(new InvalidKey(path, $"a {l} block where a {label} block was expected"
                    + (label == "PRIVATE KEY" ? " (give the private key made by 'cm key generate' or 'openssl genpkey -algorithm ed25519')" : " (give public keys: 'openssl pkey -in KEY -pubout')")));
            found = found.Add(Convert.FromBase64String(text[fields.Base64Data].ToString()));
            text = text[fields.Location.End..];
        }
        return found.IsEmpty
            ? FinFail<Seq<byte[]>>(new InvalidKey(path, $"no PEM '-----BEGIN {label}-----' block in the file"))
            : FinSucc(found);
    }

    private static Fin<SigningKey> ParsePrivate(string path, byte[] der)
    {
        try
        {
            return PrivateKeyFactory.CreateKey(der) is Ed25519PrivateKeyParameters k
                ? FinSucc(new SigningKey(k))
                : FinFail<SigningKey>(new InvalidKey(path, "not an Ed25519 key (Cm signs with Ed25519 only)"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or SecurityUtilityException or InvalidCastException)
        {
            return FinFail<SigningKey>(new InvalidKey(path, "not a PKCS#8 private key: " + e.Message));
        }
    }

    private static Fin<TrustedKey> ParsePublic(string path, byte[] der)
    {
        try
        {
            return PublicKeyFactory.CreateKey(der) is Ed25519PublicKeyParameters k
                ? FinSucc(new TrustedKey(k))
                : FinFail<TrustedKey>(new InvalidKey(path, "not an Ed25519 public key (Cm verifies Ed25519 signatures only)"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or SecurityUtilityException or InvalidCastException)
        {
            return FinFail<TrustedKey>(new InvalidKey(path, "not a SubjectPublicKeyInfo public key: " + e.Message));
        }
    }
}
