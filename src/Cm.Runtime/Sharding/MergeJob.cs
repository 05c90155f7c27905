namespace Cm.Runtime.Sharding;

/// <summary>A merge, as data: the shard manifests, the merged samples file and its manifest, and what to check.</summary>
/// <param name="Manifests">Paths of every shard's manifest (any order).</param>
/// <param name="Out">The merged <c>.npy</c>.</param>
/// <param name="ManifestOut">The merged manifest (by default next to <paramref name="Out"/>, <c>.manifest.json</c>).</param>
/// <param name="VerifyTraces">Whether every shard's traces are verified step by step (<c>cm verify</c>) as well.</param>
/// <param name="Force">Whether existing outputs may be replaced.</param>
public sealed record MergeJob(IReadOnlyList<string> Manifests, string Out, string ManifestOut, bool VerifyTraces, bool Force)
{
    /// <summary>The default merged manifest path: <c>all.npy</c> → <c>all.manifest.json</c>.</summary>
    public static string DefaultManifestOut(string @out) => Path.ChangeExtension(@out, null) + ".manifest.json";
}
