using Xunit;

namespace Cm.Tests.Cli;

/// <summary>
/// <c>cm key generate</c>, <c>cm sample --sign</c>, <c>cm attest</c> and <c>cm verify --trusted-key/--trust/--require</c>
/// end to end: a signed run verifies with its key and fails with any other key or any edit; the report
/// names the levels reached, and the level that caught a forgery.
/// </summary>
public sealed class SigningCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string F(string name) => _dir.File(name);

    private (string Trace, string Samples) SignedRun()
    {
        var key = CliHarness.Run("key", "generate", F("k.pem"));
        Assert.True(key.Code == 0, key.ToString());
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(F("k.pem")));
        var r = CliHarness.Run("sample", "--batch", "2", "--class-labels", "3,4", "--out", F("s.png"), "--trace", F("run.jsonl"),
            "--trace-tensors", "--sign", F("k.pem"), "--quiet");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains(F("run.jsonl.intoto.json"), r.Out);
        return (F("run.jsonl"), F("s.png"));
    }

    [Fact]
    public void A_signed_run_verifies_with_its_key_and_fails_with_another_or_after_any_edit()
    {
        var (trace, samples) = SignedRun();
        var ok = CliHarness.Run("verify", trace, "--trusted-key", F("k.pem.pub"));
        Assert.True(ok.Code == 0, ok.ToString());
        Assert.Contains("verified at levels chain, recomputed, seeded, signed", ok.Out);

        Assert.Equal(0, CliHarness.Run("key", "generate", F("other.pem")).Code);
        var other = CliHarness.Run("verify", trace, "--trusted-key", F("other.pem.pub"));
        Assert.Equal(3, other.Code);
        Assert.Contains("failed at level signed", other.Err);

        // A trust file lists several keys; one of them signed.
        File.WriteAllText(F("trust.pem"), "release keys\n" + File.ReadAllText(F("other.pem.pub")) + "the signer\n" + File.ReadAllText(F("k.pem.pub")));
        Assert.Equal(0, CliHarness.Run("verify", trace, "--trust", F("trust.pem")).Code);

        // The samples changed after signing.
        var png = File.ReadAllBytes(samples);
        png[^5] ^= 1;
        File.WriteAllBytes(samples, png);
        var edited = CliHarness.Run("verify", trace, "--trusted-key", F("k.pem.pub"));
        Assert.Equal(3, edited.Code);
        Assert.Contains("failed at level signed: attestation: subject s.png", edited.Err);
        png[^5] ^= 1;
        File.WriteAllBytes(samples, png);

        // The model name changed and the chain resealed: every level without the key passes, signed does not.
        var forged = Cm.Tests.Traces.TraceForger.EditHeader(File.ReadAllBytes(trace), h => h["model"] = "analytic:glyphs-denoiser");
        File.WriteAllBytes(F("forged.jsonl"), forged);
        File.Copy(trace + ".intoto.json", F("forged.jsonl.intoto.json"));
        var unsigned = CliHarness.Run("verify", F("forged.jsonl"));
        Assert.True(unsigned.Code == 0, unsigned.ToString());
        var signedCheck = CliHarness.Run("verify", F("forged.jsonl"), "--trusted-key", F("k.pem.pub"));
        Assert.Equal(3, signedCheck.Code);
        Assert.Contains("failed at level signed: attestation: subject", signedCheck.Err);
        var replay = CliHarness.Run("replay", F("forged.jsonl"));
        Assert.Equal(3, replay.Code); // the forged model identity builds another model, whose outputs (or labels) differ
    }

    [Fact]
    public void Trusted_keys_make_signed_required_and_a_trace_without_attestation_fails_closed()
    {
        Assert.Equal(0, CliHarness.Run("key", "generate", F("k.pem")).Code);
        Assert.Equal(0, CliHarness.Run("sample", "--batch", "1", "--out", F("s.png"), "--trace", F("run.jsonl"), "--quiet").Code);
        var r = CliHarness.Run("verify", F("run.jsonl"), "--trust", F("k.pem.pub"));
        Assert.Equal(3, r.Code);
        Assert.Contains("requires signed", r.Err);
        Assert.Contains("no attestation at", r.Err);
        var lowered = CliHarness.Run("verify", F("run.jsonl"), "--trust", F("k.pem.pub"), "--require", "seeded");
        Assert.True(lowered.Code == 0, lowered.ToString());

        var attest = CliHarness.Run("attest", F("run.jsonl"), "--key", F("k.pem"), "--output", F("s.png"));
        Assert.True(attest.Code == 0, attest.ToString());
        Assert.Equal(0, CliHarness.Run("verify", F("run.jsonl"), "--trust", F("k.pem.pub")).Code);
        Assert.Equal(3, CliHarness.Run("attest", F("run.jsonl"), "--key", F("k.pem")).Code); // exists, no --force
    }

    [Fact]
    public void A_python_recorded_trace_can_be_attested_and_verified()
    {
        var trace = F("py.jsonl");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Runtime", "Traces", "python_example.jsonl"), trace);
        Assert.Equal(0, CliHarness.Run("key", "generate", F("k.pem")).Code);
        var attest = CliHarness.Run("attest", trace, "--key", F("k.pem"));
        Assert.True(attest.Code == 0, attest.ToString());
        var v = CliHarness.Run("verify", trace, "--trusted-key", F("k.pem.pub"), "--require", "recomputed,seeded,signed");
        Assert.True(v.Code == 0, v.ToString());
        Assert.Contains("verified at levels chain, recomputed, seeded, signed", v.Out);
    }

    [Fact]
    public void Recorded_noise_exits_3_unless_the_policy_allows_it_and_a_changed_seed_names_seeded()
    {
        Assert.Equal(0, CliHarness.Run("sample", "--batch", "1", "--out", F("s.png"), "--trace", F("run.jsonl"), "--trace-tensors", "--quiet").Code);
        var recorded = Cm.Tests.Traces.TraceForger.EditHeader(File.ReadAllBytes(F("run.jsonl")),
            h => h["noise"] = new System.Text.Json.Nodes.JsonObject { ["kind"] = "recorded", ["seed"] = null });
        File.WriteAllBytes(F("recorded.jsonl"), recorded);
        var r = CliHarness.Run("verify", F("recorded.jsonl"));
        Assert.Equal(3, r.Code);
        Assert.Contains("the policy requires seeded, not reached", r.Err);
        Assert.Equal(0, CliHarness.Run("verify", F("recorded.jsonl"), "--require", "chain,recomputed").Code);

        var seed = Cm.Tests.Traces.TraceForger.EditHeader(File.ReadAllBytes(F("run.jsonl")), h => h["noise"]!["seed"] = 1);
        File.WriteAllBytes(F("seed.jsonl"), seed);
        var s = CliHarness.Run("verify", F("seed.jsonl"));
        Assert.Equal(3, s.Code);
        Assert.Contains("failed at level seeded: line 2 (step 0): hashes.sample", s.Err);
        Assert.Equal(2, CliHarness.Run("verify", F("run.jsonl"), "--require", "sealed").Code);
    }

    [Fact]
    public void Sign_needs_a_trace_and_a_real_key()
    {
        File.WriteAllText(F("junk.pem"), "not a key");
        Assert.Equal(3, CliHarness.Run("sample", "--out", F("a.png"), "--sign", F("junk.pem")).Code);
        var r = CliHarness.Run("sample", "--out", F("a.png"), "--trace", F("a.jsonl"), "--sign", F("junk.pem"));
        Assert.Equal(3, r.Code);
        Assert.Contains("no PEM", r.Err);
        Assert.False(File.Exists(F("a.png")));
    }
}
