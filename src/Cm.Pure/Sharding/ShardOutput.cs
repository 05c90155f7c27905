namespace Cm.Pure.Sharding;

/// <summary>One file a shard wrote, named relative to its manifest's folder, with its size and SHA-256.</summary>
/// <param name="Role">"samples" (the .npy) or "trace" (one audit trace per batch).</param>
/// <param name="File">The file name, in the manifest's folder.</param>
/// <param name="Range">The global samples the file holds.</param>
/// <param name="Bytes">Its length.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of its bytes.</param>
public sealed record ShardOutput(string Role, string File, SampleRange Range, long Bytes, string Sha256)
{
    /// <summary>The role of the samples file.</summary>
    public const string SamplesRole = "samples";

    /// <summary>The role of a trace file.</summary>
    public const string TraceRole = "trace";
}
