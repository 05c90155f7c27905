using System.Diagnostics;
using System.Text;
using Cm.Pure.Attestations;
using Cm.Pure.Verification;
using Cm.Runtime.Attestations;
using Cm.Runtime.Sampling;
using Cm.Runtime.Traces;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Attestations;

/// <summary>
/// Independent interop with OpenSSL 3's command line (Debian's openssl; .ci/setup installs it): Cm's
/// Ed25519 (BouncyCastle, managed) and OpenSSL share no code. openssl verifies Cm's signature over the PAE
/// bytes, Cm verifies an envelope that openssl signed with a key openssl made, and both give the same
/// signature bytes (Ed25519 is deterministic). A missing openssl fails these tests; it never skips them.
/// </summary>
public sealed class OpensslInteropTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _trace = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Traces", "python_example.jsonl");

    public void Dispose() => _dir.Dispose();

    private static (int Code, string Out) OpenSsl(params string[] args)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("openssl did not start");
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, output.Result + error.Result);
    }

    [Fact]
    public void Openssl_verifies_the_signature_cm_made_over_the_pae()
    {
        var key = Ed25519Keys.Generate();
        var envelope = RunAttestation.Envelope(Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v1\"}"), key);
        File.WriteAllBytes(_dir.File("pae.bin"), envelope.Pae);
        File.WriteAllBytes(_dir.File("sig.bin"), envelope.Signatures.Head.Sig);
        File.WriteAllText(_dir.File("pub.pem"), Ed25519Keys.PublicPem(key.Public));
        File.WriteAllText(_dir.File("key.pem"), Ed25519Keys.PrivatePem(key));

        var ok = OpenSsl("pkeyutl", "-verify", "-pubin", "-inkey", _dir.File("pub.pem"), "-rawin", "-in", _dir.File("pae.bin"), "-sigfile", _dir.File("sig.bin"));
        Assert.True(ok.Code == 0, ok.Out);
        Assert.Contains("Signature Verified Successfully", ok.Out);

        // openssl reads Cm's PKCS#8 private key and derives the same public key.
        var pub = OpenSsl("pkey", "-in", _dir.File("key.pem"), "-pubout");
        Assert.Equal(Ed25519Keys.PublicPem(key.Public).Trim(), pub.Out.Trim());

        // One flipped bit of the PAE: openssl refuses.
        var bad = envelope.Pae.ToArray();
        bad[^1] ^= 1;
        File.WriteAllBytes(_dir.File("bad.bin"), bad);
        Assert.NotEqual(0, OpenSsl("pkeyutl", "-verify", "-pubin", "-inkey", _dir.File("pub.pem"), "-rawin", "-in", _dir.File("bad.bin"), "-sigfile", _dir.File("sig.bin")).Code);
    }

    [Fact]
    public void Cm_verifies_an_envelope_openssl_signed_with_an_openssl_key()
    {
        var gen = OpenSsl("genpkey", "-algorithm", "ed25519", "-out", _dir.File("key.pem"));
        Assert.True(gen.Code == 0, gen.Out);
        var pub = OpenSsl("pkey", "-in", _dir.File("key.pem"), "-pubout", "-out", _dir.File("pub.pem"));
        Assert.True(pub.Code == 0, pub.Out);

        var trace = _dir.File("run.jsonl");
        File.Copy(_trace, trace);
        var report = TraceFile.Verify(trace, NoiseSources.Regenerate);
        var header = File.ReadAllLines(trace)[0];
        var statement = RunStatement.For(report, Encoding.UTF8.GetBytes(header),
                Seq1(new Subject("run.jsonl", FileDigest.Sha256(trace).Match(d => d, e => throw new InvalidOperationException(e.Message)))), "openssl test")
            .Match(s => s, e => throw new InvalidOperationException(e.Message));
        var pae = Dsse.Pae(Dsse.InTotoPayloadType, statement);
        File.WriteAllBytes(_dir.File("pae.bin"), pae);
        var sign = OpenSsl("pkeyutl", "-sign", "-inkey", _dir.File("key.pem"), "-rawin", "-in", _dir.File("pae.bin"), "-out", _dir.File("sig.bin"));
        Assert.True(sign.Code == 0, sign.Out);
        var sig = File.ReadAllBytes(_dir.File("sig.bin"));

        // The envelope as any DSSE tool would write it: openssl's signature, Cm's statement.
        var json = $"{{\"payload\":\"{Convert.ToBase64String(statement)}\",\"payloadType\":\"{Dsse.InTotoPayloadType}\",\"signatures\":[{{\"keyid\":\"\",\"sig\":\"{Convert.ToBase64String(sig)}\"}}]}}";
        File.WriteAllText(RunAttestation.PathFor(trace), json);
        var trusted = Ed25519Keys.LoadPublic(_dir.File("pub.pem")).Match(k => k, e => throw new InvalidOperationException(e.Message));
        var checkedReport = RunAttestation.Check(report, trace, RunAttestation.PathFor(trace), trusted);
        Assert.True(checkedReport.Ok, checkedReport.ToString());
        Assert.Contains(VerificationLevel.Signed, checkedReport.Levels.Reached);

        // Cm reads openssl's private key, and Ed25519 being deterministic, signs the same PAE to the same bytes.
        var cmKey = Ed25519Keys.LoadPrivate(_dir.File("key.pem")).Match(k => k, e => throw new InvalidOperationException(e.Message));
        Assert.Equal(Convert.ToHexString(sig), Convert.ToHexString(cmKey.Sign(pae)));
        Assert.Equal(trusted.Head.KeyId, cmKey.Public.KeyId);
    }
}
