using System.Text;
using Cm.Pure.Errors;
using Cm.Pure.Sharding;
using Xunit;

namespace Cm.Tests.Sharding;

/// <summary>The manifest's one serialisation: deterministic bytes, a lossless round trip, strict reading.</summary>
public sealed class ManifestJsonTests
{
    private static ShardManifest Sample() => ShardManifests.Of(ShardManifests.Run(7, 3, seed: 12345678901234567890), 2);

    [Fact]
    public void Round_trip_gives_the_same_bytes()
    {
        var bytes = ManifestJson.Shard(Sample());
        var back = ManifestJson.ParseShard("m.json", bytes).Match(m => m, e => throw new InvalidOperationException(e.Message));
        Assert.Equal(bytes, ManifestJson.Shard(back));
        Assert.Equal(ManifestJson.RunId(Sample().Run), ManifestJson.RunId(back.Run));
        Assert.Equal(new SampleRange(4, 7), back.Range);
        Assert.Equal(3, back.Outputs.Length);
    }

    [Fact]
    public void The_run_id_is_the_sha256_of_the_canonical_identity()
    {
        var run = Sample().Run;
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(ManifestJson.Identity(run)));
        Assert.Equal(hex, ManifestJson.RunId(run));
        Assert.StartsWith("{\"config\":{\"num_train_timesteps\":40,\"sigma_min\":0.002,\"sigma_max\":80.0,", Encoding.UTF8.GetString(ManifestJson.Identity(run)));
        Assert.NotEqual(ManifestJson.RunId(run), ManifestJson.RunId(run with { Samples = 8 }));
    }

    [Theory]
    [InlineData("\"seed\": 12345678901234567890", "\"seed\": 1", "run_id")]
    [InlineData("\"batch\": 2", "\"batch\": 0", "batch")]
    [InlineData("\"shard\": 2", "\"shard\": 3", "shard")]
    [InlineData("\"file\": \"shard-2.npy\"", "\"file\": \"../x.npy\"", "outputs[0].file")]
    [InlineData("\"role\": \"samples\"", "\"role\": \"trace\"", "outputs")]
    [InlineData("\"format\": \"cm-shard-manifest\"", "\"format\": \"cm-merged-manifest\"", "format")]
    [InlineData("\"batch\": 2", "\"batch\": 2, \"when\": 1", "when")]
    [InlineData("\"labels\": \"none\",", "", "run.labels")]
    public void Edited_manifests_are_refused_naming_the_field(string from, string to, string field)
    {
        var text = Encoding.UTF8.GetString(ManifestJson.Shard(Sample()));
        Assert.Contains(from, text);
        var e = ManifestJson.ParseShard("m.json", Encoding.UTF8.GetBytes(text.Replace(from, to)))
            .Match(_ => throw new InvalidOperationException("accepted"), e => Assert.IsType<InvalidManifest>(e));
        Assert.Equal(ErrorKind.InvalidInput, e.Kind);
        Assert.Contains(field, e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("{\"format\":\"cm-shard-manifest\"}")]
    public void Garbage_is_an_invalid_manifest(string text) =>
        ManifestJson.ParseShard("m.json", Encoding.UTF8.GetBytes(text))
            .Match(_ => Assert.Fail("accepted"), e => Assert.IsType<InvalidManifest>(e));
}
