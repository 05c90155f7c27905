using System.Text;
using Cm.Pure.Attestations;
using Cm.Pure.Errors;
using LanguageExt;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Attestations;

/// <summary>DSSE v1: the pre-authentication encoding exactly as protocol.md defines it, and the envelope's JSON.</summary>
public sealed class DsseTests
{
    [Fact]
    public void Pae_matches_the_dsse_specification_test_vector()
    {
        // protocol.md: PAE("http://example.com/HelloWorld", "hello world").
        var pae = Dsse.Pae("http://example.com/HelloWorld", "hello world"u8);
        Assert.Equal("DSSEv1 29 http://example.com/HelloWorld 11 hello world", Encoding.ASCII.GetString(pae));
    }

    [Fact]
    public void Pae_lengths_count_bytes_and_the_body_is_verbatim()
    {
        Assert.Equal("DSSEv1 0  0 "u8.ToArray(), Dsse.Pae("", []));
        Assert.Equal("DSSEv1 2 \u00e9 5 a b\n\0"u8.ToArray(), Dsse.Pae("\u00e9", "a b\n\0"u8));
        Assert.Equal("DSSEv1 28 application/vnd.in-toto+json 2 {}"u8.ToArray(), Dsse.Pae(Dsse.InTotoPayloadType, "{}"u8));
    }

    [Fact]
    public void An_envelope_round_trips_and_accepts_url_safe_base64()
    {
        var e = new DsseEnvelope(Dsse.InTotoPayloadType, [0xfb, 0xff, 0x01], Seq1(new DsseSignature("k1", [0xfe, 0xfa])));
        var json = e.ToJson();
        Assert.Contains("\"payloadType\":\"application/vnd.in-toto+json\"", Encoding.UTF8.GetString(json));
        var back = DsseEnvelope.Parse(json).Match(x => x, err => throw new Xunit.Sdk.XunitException(err.Message));
        Assert.Equal(e.PayloadType, back.PayloadType);
        Assert.Equal(e.Payload, back.Payload);
        Assert.Equal("k1", back.Signatures.Head.KeyId);
        Assert.Equal(new byte[] { 0xfe, 0xfa }, back.Signatures.Head.Sig);
        var urlSafe = DsseEnvelope.Parse("{\"payloadType\":\"t\",\"payload\":\"-_8B\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"_vo\"}]}"u8)
            .Match(x => x, err => throw new Xunit.Sdk.XunitException(err.Message));
        Assert.Equal(new byte[] { 0xfb, 0xff, 0x01 }, urlSafe.Payload);
        Assert.Equal(new byte[] { 0xfe, 0xfa }, urlSafe.Signatures.Head.Sig);
    }

    [Theory]
    [InlineData("not json", "envelope")]
    [InlineData("[]", "envelope")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"AA==\"}", "signatures")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"%%\",\"signatures\":[]}", "payload")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"AA==\",\"signatures\":[],\"extra\":1}", "extra")]
    public void A_bad_envelope_is_refused_with_the_field_named(string json, string field)
    {
        var f = DsseEnvelope.Parse(Encoding.UTF8.GetBytes(json)).Match(_ => throw new Xunit.Sdk.XunitException("accepted"), e => e);
        Assert.Equal(field, Assert.IsType<AttestationFailure>(f).Field);
    }
}
