using System.Text.Json.Nodes;
using Cm.Pure.Errors;
using Cm.Pure.Traces;
using Cm.Pure.Verification;
using Cm.Runtime.Attestations;
using Cm.Runtime.Sampling;
using Cm.Runtime.Traces;
using Cm.Tests.Traces;
using LanguageExt;
using Xunit;
using static Cm.Pure.Verification.VerificationLevel;

namespace Cm.Tests.Verification;

/// <summary>
/// Issue 15's forgeries, each made by <see cref="TraceForger"/> (edit, recompute, reseal) on the Python-written
/// example trace (fake-tanh model, torch seed 42, tensors inline, clip on) that was then signed: each one
/// fails at the weakest level that can see it, passes the levels that cannot, and always fails at
/// <c>signed</c> (the attacker has no key, so the old attestation no longer names the trace's bytes).
/// </summary>
public sealed class ForgeryTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly SigningKey _key = Ed25519Keys.Generate();
    private readonly byte[] _original = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Traces", "python_example.jsonl"));

    public void Dispose() => _dir.Dispose();

    private sealed record Outcome(VerifyReport Verified, VerifyReport Signed, ReplayReport Replayed);

    // Writes the trace, the original run's attestation beside it (what the forger kept), and checks every level.
    private Outcome Check(byte[] trace, string name)
    {
        var original = _dir.File("original.jsonl");
        File.WriteAllBytes(original, _original);
        var attestation = _dir.File("original.jsonl" + RunAttestation.Suffix);
        if (!File.Exists(attestation))
            RunAttestation.Sign(original, LanguageExt.Seq<string>.Empty, _key, attestation, false).Match(_ => 0, e => throw new InvalidOperationException(e.Message));
        var path = _dir.File(name);
        File.WriteAllBytes(path, trace);
        var verified = TraceFile.Verify(path, NoiseSources.Regenerate);
        var signed = RunAttestation.Check(verified, path, attestation, LanguageExt.Prelude.Seq1(_key.Public));
        var replayed = TraceFile.Replay(path, FakeTanh, NoiseSources.Regenerate);
        return new Outcome(verified, signed, replayed);
    }

    // The golden fake model: f(f(tanh(s))·f(0.9)) + f(0.01·t).
    private static Fin<float[]> FakeTanh(Cm.Pure.Traces.ModelCall c) =>
        c.ScaledSample.Select(x => (float)Math.Tanh(x) * 0.9f + (float)(0.01 * c.Timestep)).ToArray();

    private static VerificationLevel FailedAt(VerifyReport r) =>
        r.Levels.Failure.Match(f => f.Level, () => throw new Xunit.Sdk.XunitException("no failure: " + r));

    private static void Reached(VerifyReport r, params VerificationLevel[] levels)
    {
        Assert.True(r.Ok, r.ToString());
        foreach (var l in levels) Assert.Contains(l, r.Levels.Reached);
    }

    private static void FailsSigned(Outcome o)
    {
        Assert.Equal(Signed, FailedAt(o.Signed));
        Assert.Contains("subject", o.Signed.Levels.Failure.Map(f => f.Message).IfNone(""));
    }

    [Fact]
    public void The_untouched_signed_trace_reaches_every_level()
    {
        var o = Check(_original, "same.jsonl");
        Reached(o.Verified, Chain, Recomputed, Seeded);
        Reached(o.Signed, Chain, Recomputed, Seeded, Signed);
        Reached(o.Replayed.Verification, Chain, Recomputed, Seeded, Replayed);
    }

    [Theory]
    [InlineData("model", "analytic:glyphs")]
    [InlineData("device", "cuda:0")]
    [InlineData("library", "cm 0.1.0")]
    public void An_identity_field_changed_and_resealed_is_caught_only_by_signed(string field, string value)
    {
        // The trace's numbers do not depend on these fields: no recomputation can see them. Replay with the
        // traced model cannot either (cm replay refuses a model whose identity differs; device and library
        // are not the model's). Only a signature binds them.
        var o = Check(TraceForger.EditHeader(_original, h => h[field] = value), field + ".jsonl");
        Reached(o.Verified, Chain, Recomputed, Seeded);
        FailsSigned(o);
    }

    [Fact]
    public void Changed_class_labels_are_caught_by_signed_and_the_count_by_chain()
    {
        var same = Check(TraceForger.EditHeader(_original, h => h["class_labels"] = new JsonArray(5)), "labels.jsonl");
        Reached(same.Verified, Chain, Recomputed, Seeded);
        FailsSigned(same);
        var wrongCount = Check(TraceForger.EditHeader(_original, h => h["class_labels"] = new JsonArray(5, 6)), "labels2.jsonl");
        Assert.Equal(Chain, FailedAt(wrongCount.Verified));
    }

    [Fact]
    public void A_shape_with_the_same_count_is_caught_by_signed()
    {
        // torch noise depends on the element count only, and the step is elementwise: only the signature sees it
        // (and replay, for a model that mixes elements; the fake-tanh model is elementwise).
        var o = Check(TraceForger.EditHeader(_original, h => h["shape"] = new JsonArray(1, 1, 3, 2)), "shape.jsonl");
        Reached(o.Verified, Chain, Recomputed, Seeded);
        FailsSigned(o);
    }

    [Fact]
    public void A_flipped_clip_denoised_is_caught_by_recomputed()
    {
        // This run's last step clamps denoised at 1 (its next sample is 1.0000006…), so unclamped arithmetic differs.
        var o = Check(TraceForger.EditHeader(_original, h => h["config"]!["clip_denoised"] = false), "clip.jsonl");
        Assert.Equal(Recomputed, FailedAt(o.Verified));
        Assert.StartsWith("tensors.next_sample[", o.Verified.Failure.Map(f => f.Field).IfNone(""));
        Assert.Contains("failed at level recomputed", o.Verified.ToString());
    }

    [Fact]
    public void A_changed_s_noise_is_caught_by_recomputed_and_sigma_max_by_chain()
    {
        Assert.Equal(Recomputed, FailedAt(Check(TraceForger.EditHeader(_original, h => h["config"]!["s_noise"] = 0.5), "snoise.jsonl").Verified));
        var sigma = Check(TraceForger.EditHeader(_original, h => h["config"]!["sigma_max"] = 79.0), "sigmamax.jsonl");
        Assert.Equal(Chain, FailedAt(sigma.Verified));
        // The forger's JSON spells 79.0 as 79, which the canonical-bytes check refuses first; a forger who spells it
        // canonically is caught at t = 250·ln σ, the first scalar that moves. Both are level chain.
        Assert.Contains(sigma.Verified.Failure.Map(f => f.Field).IfNone(""), new[] { "bytes", "timestep" });
    }

    [Fact]
    public void Another_seed_is_caught_by_seeded()
    {
        var o = Check(TraceForger.EditHeader(_original, h => h["noise"]!["seed"] = 43), "seed.jsonl");
        Assert.Equal(Seeded, FailedAt(o.Verified));
        Assert.Equal("hashes.sample", o.Verified.Failure.Map(f => f.Field).IfNone(""));
    }

    [Fact]
    public void Recorded_noise_turns_seeded_off_and_the_default_policy_refuses_it()
    {
        // The downgrade of issue 15: "recorded" noise, then a forged initial sample and forged noise, every step
        // recomputed. Chain and recomputation pass; seeded cannot be reached, and the default policy requires it.
        var forged = TraceForger.Recompute(_original, (_, name, v) => name is "sample" or "noise" ? v.Select(x => -x).ToArray() : v,
            h => h["noise"] = new JsonObject { ["kind"] = "recorded", ["seed"] = null });
        var o = Check(forged, "recorded.jsonl");
        Reached(o.Verified, Chain, Recomputed);
        Assert.DoesNotContain(Seeded, o.Verified.Levels.Reached);
        var decision = VerifyPolicy.Default(trustConfigured: false).Decide(o.Verified.Levels);
        var e = decision.Match(_ => throw new Xunit.Sdk.XunitException("the default policy accepted recorded noise"), e => e);
        var missing = Assert.IsType<PolicyNotMet>(e);
        Assert.Contains(Seeded, missing.Missing);
        Assert.Contains("seeded: the header says the noise is recorded", e.Message);
        Assert.True(VerifyPolicy.Of(Recomputed).Decide(o.Verified.Levels).IsSucc);
        FailsSigned(o);
        // The same forged noise under the original seeded header fails at seeded.
        var seeded = Check(TraceForger.Recompute(_original, (_, name, v) => name is "sample" or "noise" ? v.Select(x => -x).ToArray() : v), "noise.jsonl");
        Assert.Equal(Seeded, FailedAt(seeded.Verified));
    }

    [Fact]
    public void Every_model_output_replaced_and_recomputed_is_caught_by_replay_and_signed()
    {
        var forged = TraceForger.Recompute(_original, (_, name, v) => name == "model_output" ? v.Select(x => x * 0.5f).ToArray() : v);
        var o = Check(forged, "outputs.jsonl");
        Reached(o.Verified, Chain, Recomputed, Seeded);
        Assert.Equal(Replayed, FailedAt(o.Replayed.Verification));
        Assert.StartsWith("model_output[", o.Replayed.Divergence.Map(f => f.Field).IfNone(""));
        FailsSigned(o);
    }

    [Fact]
    public void A_signature_by_another_key_or_an_edited_envelope_fails_at_signed()
    {
        var path = _dir.File("run.jsonl");
        File.WriteAllBytes(path, _original);
        var attestation = RunAttestation.PathFor(path);
        RunAttestation.Sign(path, LanguageExt.Seq<string>.Empty, Ed25519Keys.Generate(), attestation, false).Match(_ => 0, e => throw new InvalidOperationException(e.Message));
        var report = TraceFile.Verify(path, NoiseSources.Regenerate);
        var other = RunAttestation.Check(report, path, attestation, LanguageExt.Prelude.Seq1(_key.Public));
        Assert.Equal(Signed, FailedAt(other));
        Assert.Contains("signatures", other.ToString());

        RunAttestation.Sign(path, LanguageExt.Seq<string>.Empty, _key, attestation, true).Match(_ => 0, e => throw new InvalidOperationException(e.Message));
        Assert.Contains(Signed, RunAttestation.Check(report, path, attestation, LanguageExt.Prelude.Seq1(_key.Public)).Levels.Reached);
        var envelope = JsonNode.Parse(File.ReadAllText(attestation))!.AsObject();
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(envelope["payload"]!.GetValue<string>()));
        envelope["payload"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload.Replace("\"steps\":2", "\"steps\":3")));
        File.WriteAllText(attestation, envelope.ToJsonString());
        var edited = RunAttestation.Check(report, path, attestation, LanguageExt.Prelude.Seq1(_key.Public));
        Assert.Equal(Signed, FailedAt(edited));
        Assert.Contains("signatures", edited.ToString());
    }
}
