using System.Collections.Concurrent;
using System.Text;
using Xunit;

namespace Cm.Tests.Cli.Sharding;

/// <summary>
/// <c>cm sample --samples N --shard K/S</c> and <c>cm merge</c> in-process: the merged file equals the
/// single-process run byte for byte, whatever the split and the batch sizes; bad shard sets get exit 3
/// naming what is wrong; shards rerun to the same bytes.
/// </summary>
public sealed class ShardCommandTests
{
    // The closed-form analytic:gaussian model keeps the matrix fast; the labelled test runs the glyphs model.
    private const string Model = "analytic:gaussian";

    // One single-process reference per N, in batches of 5 (the shards below use 3): batch size never matters.
    private static readonly ConcurrentDictionary<(int, string), byte[]> References = new();

    private static byte[] Single(int n, params string[] extra) => References.GetOrAdd((n, string.Join(" ", extra)), _ =>
    {
        using var dir = new TempDir();
        var r = CliHarness.Run(["sample", "--noise", "philox", "--samples", $"{n}", "--batch", "5", "--format", "npy", "--out", dir.File("single.npy"), "-q", .. Models(extra)]);
        Assert.True(r.Code == 0, r.ToString());
        return File.ReadAllBytes(dir.File("single.npy"));
    });

    private static string[] RunShards(TempDir dir, int n, int s, params string[] extra)
    {
        for (var k = 0; k < s; k++)
        {
            var r = CliHarness.Run(["sample", "--noise", "philox", "--samples", $"{n}", "--batch", "3", "--shard", $"{k}/{s}", "--shard-dir", dir.File("shards"), "-q", .. Models(extra)]);
            Assert.True(r.Code == 0, r.ToString());
        }
        return Directory.GetFiles(dir.File("shards"), "manifest-*.json");
    }

    private static string[] Models(string[] extra) => extra.Contains("--model") ? extra : ["--model", Model, .. extra];

    private static CliResult Merge(TempDir dir, IEnumerable<string> manifests, params string[] extra) =>
        CliHarness.Run(["merge", .. manifests, "--out", dir.File("all.npy"), .. extra]);

    public static TheoryData<int, int> Matrix()
    {
        var data = new TheoryData<int, int>();
        foreach (var n in new[] { 1, 7, 64 })
            foreach (var s in new[] { 1, 2, 4, 3 })
                data.Add(n, s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Merged_shards_equal_the_single_process_run_byte_for_byte(int n, int s)
    {
        using var dir = new TempDir();
        var manifests = RunShards(dir, n, s);
        Assert.Equal(s, manifests.Length);
        var r = Merge(dir, manifests, "--verify");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal(Single(n), File.ReadAllBytes(dir.File("all.npy")));
        var merged = File.ReadAllText(dir.File("all.manifest.json"));
        Assert.Contains("\"format\": \"cm-merged-manifest\"", merged);
        foreach (var m in manifests)
            Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(m))), merged);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(dir.File("all.npy")))), merged);
    }

    [Fact]
    public void The_single_process_run_equals_one_plain_batch_of_N()
    {
        using var dir = new TempDir();
        var r = CliHarness.Run("sample", "--noise", "philox", "--batch", "7", "--format", "npy", "--out", dir.File("one.npy"), "-q", "--model", Model);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal(File.ReadAllBytes(dir.File("one.npy")), Single(7));
    }

    [Theory]
    [InlineData("random")]
    [InlineData("0,1,2,3,4,5,6,7,8,9,0")]
    public void Labelled_runs_merge_to_the_single_run(string labels)
    {
        using var dir = new TempDir();
        var manifests = RunShards(dir, 11, 3, "--model", "analytic:glyphs", "--class-labels", labels);
        var r = Merge(dir, manifests, "--verify", "--png", dir.File("grid.png"));
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal(Single(11, "--model", "analytic:glyphs", "--class-labels", labels), File.ReadAllBytes(dir.File("all.npy")));
        Assert.True(PngCheck.Size(File.ReadAllBytes(dir.File("grid.png"))).Width > 16);
    }

    [Fact]
    public void A_shard_run_again_writes_the_same_bytes_and_refuses_to_overwrite_without_force()
    {
        using var dir = new TempDir();
        RunShards(dir, 7, 3);
        var before = Directory.GetFiles(dir.File("shards")).Order().Select(f => (f, File.ReadAllBytes(f))).ToArray();
        string[] again = ["sample", "--noise", "philox", "--samples", "7", "--batch", "3", "--shard", "2/3", "--shard-dir", dir.File("shards"), "-q", "--model", Model];
        var refused = CliHarness.Run(again);
        Assert.True(refused.Code == 3, refused.ToString());
        Assert.Contains("already exists", refused.Err);
        foreach (var f in Directory.GetFiles(dir.File("shards"))) File.Delete(f);
        for (var k = 0; k < 3; k++)
            Assert.Equal(0, CliHarness.Run(["sample", "--noise", "philox", "--samples", "7", "--batch", "3", "--shard", $"{k}/3", "--shard-dir", dir.File("shards"), "-q", "--model", Model]).Code);
        var rerun = CliHarness.Run([.. again, "--force"]);
        Assert.True(rerun.Code == 0, rerun.ToString());
        var after = Directory.GetFiles(dir.File("shards")).Order().Select(f => (f, File.ReadAllBytes(f))).ToArray();
        Assert.Equal(before.Select(x => Path.GetFileName(x.f)), after.Select(x => Path.GetFileName(x.f)));
        foreach (var (b, a) in before.Zip(after)) Assert.True(b.Item2.AsSpan().SequenceEqual(a.Item2), $"{b.f} differs after a rerun");
    }

    [Fact]
    public void A_schedule_the_config_cannot_give_fails_a_shard_before_its_folder_is_made_and_labels_meet_the_model_s_classes()
    {
        using var dir = new TempDir();
        var bad = CliHarness.Run("sample", "--noise", "philox", "--samples", "4", "--shard", "0/2", "--shard-dir", dir.File("shards"),
            "--timesteps", "50,0", "-q", "--model", Model);
        Assert.True(bad.Code == 3, bad.ToString());
        Assert.False(Directory.Exists(dir.File("shards")));
        // The batches are planned against the model's classes, as a single run is: gaussian takes no labels.
        var labelled = CliHarness.Run("sample", "--noise", "philox", "--samples", "4", "--batch", "2", "--format", "npy",
            "--out", dir.File("all.npy"), "--class-labels", "0,1,2,3", "-q", "--model", Model);
        Assert.True(labelled.Code == 3, labelled.ToString());
        Assert.Contains("unconditional", labelled.Err);
        Assert.False(File.Exists(dir.File("all.npy")));
    }

    [Fact]
    public void A_missing_shard_is_exit_3_naming_it()
    {
        using var dir = new TempDir();
        var manifests = RunShards(dir, 7, 3).Order().ToArray();
        var r = Merge(dir, [manifests[0], manifests[2]]);
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("missing shard of 3: 1 (samples [2, 4))", r.Err);
        Assert.False(File.Exists(dir.File("all.npy")));
    }

    [Fact]
    public void A_duplicated_shard_is_exit_3_naming_both()
    {
        using var dir = new TempDir();
        var manifests = RunShards(dir, 7, 3).Order().ToArray();
        var r = Merge(dir, [.. manifests, manifests[1]]);
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("shard 1 (samples [2, 4)) is given 2 times", r.Err);
    }

    [Fact]
    public void An_overlapping_shard_from_another_split_is_exit_3()
    {
        using var dir = new TempDir();
        var three = RunShards(dir, 8, 2).Order().ToArray();
        using var other = new TempDir();
        var four = RunShards(other, 8, 4).Order().ToArray();
        var r = Merge(dir, [three[0], four[2], four[3]]);
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("belongs to another run", r.Err);
        Assert.Contains("shards 4 vs 2", r.Err);
    }

    [Fact]
    public void Shards_of_another_seed_are_exit_3_naming_the_field()
    {
        using var dir = new TempDir();
        var a = RunShards(dir, 4, 2).Order().ToArray();
        using var other = new TempDir();
        var b = RunShards(other, 4, 2, "--seed", "9").Order().ToArray();
        var r = Merge(dir, [a[0], b[1]]);
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("\"seed\":9} vs {\"kind\":\"philox\",\"seed\":0}", r.Err);
    }

    [Fact]
    public void A_changed_samples_file_is_exit_3_naming_it()
    {
        using var dir = new TempDir();
        var manifests = RunShards(dir, 7, 3);
        var npy = dir.File("shards/shard-1.npy");
        var bytes = File.ReadAllBytes(npy);
        bytes[^1] ^= 1;
        File.WriteAllBytes(npy, bytes);
        var r = Merge(dir, manifests);
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("shard-1.npy", r.Err);
        Assert.Contains("SHA-256", r.Err);
    }

    [Fact]
    public void A_forged_trace_with_a_matching_hash_passes_the_hash_check_and_fails_verify()
    {
        using var dir = new TempDir();
        var manifests = RunShards(dir, 7, 3);
        var trace = dir.File("shards/shard-1.trace-0.jsonl");
        var oldHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(trace)));
        var forged = File.ReadAllText(trace).Replace("\"seed\":0", "\"seed\":1");
        File.WriteAllText(trace, forged);
        var newHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(forged)));
        var manifest = dir.File("shards/manifest-1.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(oldHash, newHash));

        var plain = Merge(dir, manifests);
        Assert.True(plain.Code == 0, plain.ToString());
        var verified = Merge(dir, manifests, "--verify", "--force");
        Assert.True(verified.Code == 3, verified.ToString());
        Assert.Contains("manifest-1.json: trace shard-1.trace-0.jsonl does not verify", verified.Err);
    }

    [Fact]
    public void Torch_noise_cannot_be_sharded_and_says_to_use_philox()
    {
        using var dir = new TempDir();
        var r = CliHarness.Run("sample", "--samples", "8", "--shard", "0/2", "--shard-dir", dir.Path, "-q");
        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("Use --noise philox", r.Err);
        var batches = CliHarness.Run("sample", "--samples", "8", "--batch", "3", "--out", dir.File("x.npy"), "--format", "npy", "-q");
        Assert.True(batches.Code == 2, batches.ToString());
        Assert.Contains("Use --noise philox", batches.Err);
    }

    [Theory]
    [InlineData("--shard", "0/2")]
    [InlineData("--shard", "2/2", "--samples", "4")]
    [InlineData("--shard", "x", "--samples", "4")]
    [InlineData("--shard", "0/2", "--shards", "3", "--samples", "4")]
    [InlineData("--shard-dir", ".", "--samples", "4")]
    [InlineData("--samples", "0")]
    [InlineData("--samples", "4294967297")]
    public void Bad_shard_options_are_usage_errors(params string[] args)
    {
        var r = CliHarness.Run(["sample", "--noise", "philox", "-q", .. args]);
        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("shard", r.Err);
    }

    [Fact]
    public void Merge_of_a_file_that_is_not_a_manifest_is_exit_3()
    {
        using var dir = new TempDir();
        var r = Merge(dir, [dir.Write("manifest-0.json", "{\"format\": \"something\"}")]);
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains("not a valid shard manifest", r.Err);
        var missing = Merge(dir, [dir.File("nope.json")]);
        Assert.True(missing.Code == 3, missing.ToString());
    }
}
