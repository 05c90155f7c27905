using System.Text;
using System.Text.Json.Nodes;
using Cm.Pure.Config;
using Cm.Pure.Editing;
using Cm.Pure.Noise;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Pure.Verification;
using LanguageExt;
using Xunit;
using static Cm.Pure.Verification.VerificationLevel;
using static Cm.Tests.Editing.EditingGolden;
using static LanguageExt.Prelude;

namespace Cm.Tests.Traces;

/// <summary>
/// Traces of edit runs (issue 11): the header's edit section round-trips byte for byte; a genuine edit trace verifies
/// in both schedule conventions (chain, recomputed with the replacement, seeded); and each forgery of the reference, the
/// mask, a step or the header's edit fields fails at the level that sees it, naming the field. The traces are recorded
/// here through the pure core, step by step as the runtime records one (the runtime's own trace is checked in
/// tests/Runtime and tests/Cli).
/// </summary>
public sealed class EditTraceTests
{
    private static readonly Shape Item = Shape.Of(3, 8, 8);
    private static readonly Shape Batch = Shape.Of(2, 3, 8, 8);

    private static readonly VerifyOptions Seeded = new(spec => spec.Kind == NoiseKind.Torch ? Some<INoise>(TorchNoise.FromSeed(spec.Seed)) : None);

    public static TheoryData<string, string, bool> Runs()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var task in new[] { "inpaint", "colorize", "superres", "superres8", "subspace", "projector" })
            foreach (var convention in new[] { "scheduler", "openai" })
                foreach (var inline in new[] { true, false })
                    data.Add(task, convention, inline);
        return data;
    }

    private static Replacement ReplacementFor(string task) => task switch
    {
        "inpaint" => new Replacement.Inpaint(Ok(EditMask.FromKnown(Item, Enumerable.Range(0, Item.Count).Select(i => i % 5 < 2).ToArray()))),
        "colorize" => Replacements.Colorization(EditBases.Luminance),
        "superres" => Replacements.SuperResolution(Ok(EditBases.Patch(4)), 4),
        "superres8" => Replacements.SuperResolution(Ok(EditBases.Patch(8)), 8),
        "subspace" => new Replacement.Subspace(Ok(EditBases.Patch(2)), [true, false, true, false], new Grouping.ChannelPatches(2)),
        _ => Ok(Replacements.Projector(3, [1f / 3, 1f / 3, 1f / 3, 1f / 3, 1f / 3, 1f / 3, 1f / 3, 1f / 3, 1f / 3], new Grouping.PixelChannels())),
    };

    private static Tensor<float> Reference(int seed) =>
        Tensor<float>.Create(Batch, Ok(TorchNoise.FromSeed((ulong)seed).Draw32(Batch)).Values, (d, z) => { for (var i = 0; i < d.Length; i++) d[i] = MathF.Tanh(z[i]); });

    private static byte[] Record(string task, string convention, bool inline, ulong seed = 5) =>
        convention == "openai" ? Openai(ReplacementFor(task), Reference(3), inline, seed) : Scheduler(ReplacementFor(task), Reference(3), inline, seed);

    /// <summary>An edit in Cm's convention through the pure core (<see cref="SchedulerEdit.Step"/>), written line by line as the runtime's writer does.</summary>
    private static byte[] Scheduler(Replacement r, Tensor<float> reference, bool inline, ulong seed)
    {
        var config = ValidConfig.Default;
        var spec = TimestepSpec.OfIndices(39, 30, 12, 0);
        var schedule = Ok(Schedule.Create(config, spec));
        var processed = Ok(Replacements.Preprocess(r, reference));
        var (x, state) = Ok(InitialLatents.Draw(Cm.Pure.Sampling.Scheduler.Create(config, schedule, TorchNoise.FromSeed(seed)), Batch));
        var header = new RunHeader(config.Value, spec, new NoiseSpec(NoiseKind.Torch, seed), Batch, TraceFormat.Float32, "cpu", None, "test:tanh", "cm test")
        {
            ScheduleMath = Some(config.ScheduleMath),
            Edit = Some(EditHeader.Of(EditTasks.Of(r), EditConvention.Scheduler, r, reference)),
        };
        var lines = new List<byte[]> { TraceLines.Header(header, inline, TraceFormat.GenesisPrev) };
        foreach (var t in schedule.Timesteps)
        {
            var position = state.Noise.Describe();
            var scaled = Ok(Cm.Pure.Sampling.Scheduler.ScaleModelInput(state, x, t));
            var output = Tensor<float>.Create(Batch, scaled.Scaled, (d, s) => { for (var i = 0; i < d.Length; i++) d[i] = MathF.Tanh(s[i]) * 0.9f + (float)(0.001 * t); });
            var step = Ok(SchedulerEdit.Step(scaled.Next, r, processed, output, t, x));
            lines.Add(TraceLines.Step(new StepRecord(step.Scalars, position, x, output, step.Noise, step.Replaced, step.Sample), inline, Prev(lines)));
            (x, state) = (step.Sample, step.Next);
        }
        lines.Add(TraceLines.Footer(schedule.Steps, x, true, Prev(lines)));
        return [.. lines.SelectMany(l => l.Append((byte)'\n'))];
    }

    /// <summary>An edit in openai's convention (<see cref="EditLoop.Run"/>) written by <see cref="EditTraces.Write"/>.</summary>
    private static byte[] Openai(Replacement r, Tensor<float> reference, bool inline, ulong seed)
    {
        var schedule = Ok(KarrasEditSchedule.Default(0, 12, 30, 39));
        var run = Ok(EditLoop.Run(schedule, r, reference, TorchNoise.FromSeed(seed),
            (x, sigma) => Tensor<float>.Create(x.Shape, x, (d, xx) => { for (var i = 0; i < d.Length; i++) d[i] = MathF.Tanh(xx[i] * 0.5f) * 1.1f + sigma * 1e-3f; })));
        return EditTraces.Write(EditTraces.OpenaiHeader(schedule, true, new NoiseSpec(NoiseKind.Torch, seed), Batch, "test:denoiser", "cm test", r, reference), inline, run);
    }

    private static string Prev(List<byte[]> lines) => TensorHash.OfBytes(lines[^1]);

    private static VerifyReport Verify(byte[] trace) => TraceBytes.Verify(trace, Seeded);

    private static (VerificationLevel Level, TraceFailure Failure) Failed(VerifyReport r) =>
        r.Levels.Failure.Match(f => (f.Level, TraceBytes.Failure(r)), () => throw new Xunit.Sdk.XunitException("verification passed, but the forgery should fail"));

    private static string Base64(float[] values) => Convert.ToBase64String(TensorHash.LittleEndianBytes(values));

    private static float[] Floats(JsonNode n) => TensorHash.FromLittleEndian(Convert.FromBase64String(n.GetValue<string>()));

    [Theory]
    [MemberData(nameof(Runs))]
    public void A_genuine_edit_trace_verifies(string task, string convention, bool inline)
    {
        var r = Verify(Record(task, convention, inline));
        Assert.True(r.Ok, r.ToString());
        Assert.Contains(Chain, r.Levels.Reached);
        Assert.Contains(VerificationLevel.Seeded, r.Levels.Reached);
        if (inline) Assert.Contains(Recomputed, r.Levels.Reached);
        else
        {
            Assert.DoesNotContain(Recomputed, r.Levels.Reached);
            Assert.Contains("replacement included, cannot be recomputed", r.Levels.Unreached.Single(u => u.Level == Recomputed).Why);
        }
        Assert.Contains(inline && convention == "scheduler" ? "the model was not run again" : "cm replay re-runs an edit only in Cm's convention",
            r.Levels.Unreached.Single(u => u.Level == Replayed).Why);
        Assert.Equal(convention == "openai" ? 3 : 4, r.Steps);
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void The_edit_header_round_trips_byte_for_byte(string task, string convention, bool inline)
    {
        var bytes = Encoding.UTF8.GetBytes(TraceBytes.Lines(Record(task, convention, inline))[0]);
        var h = (HeaderLine)Ok(TraceParser.Parse(1, bytes));
        var edit = h.Run.Edit.IfNone(() => throw new Xunit.Sdk.XunitException("no edit section"));
        Assert.Equal(EditTasks.Of(ReplacementFor(task)), edit.Task);
        Assert.Equal(convention == "openai" ? EditConvention.Openai : EditConvention.Scheduler, edit.Convention);
        Assert.Equal(TensorHash.Of(Reference(3).Data), edit.Reference);
        Assert.Equal(inline, edit.Data.IsSome);
        edit.Data.IfSome(d => Assert.Equal(Reference(3).ToArray(), d.Reference));
        Assert.Equal(bytes, TraceLines.Header(h.Run, h.InlineTensors, TraceFormat.GenesisPrev));
        // The replacement rebuilt from the header is the one recorded, bit for bit.
        var rebuilt = Ok(edit.Replacement.Rebuild(edit.Data.Bind(d => d.Mask).IfNone(() => EditMask.Uniform(Item, true).ToTensor().ToArray())));
        Assert.Equal(ReplacementIdentity.Of(ReplacementFor(task)) is ReplacementIdentity.Mask, rebuilt is Replacement.Inpaint);
        if (rebuilt is not Replacement.Inpaint)
            Assert.Equal(Ok(Replacements.Replace(ReplacementFor(task), Reference(1), Reference(2))), Ok(Replacements.Replace(rebuilt, Reference(1), Reference(2))));
    }

    [Fact]
    public void A_sampling_header_has_no_edit_section()
    {
        var h = new RunHeader(SchedulerConfig.Default, TimestepSpec.OfSteps(2), new NoiseSpec(NoiseKind.Torch, 1), Batch, TraceFormat.Float32, "cpu", None, "m", "l");
        var text = Encoding.UTF8.GetString(TraceLines.Header(h, true, TraceFormat.GenesisPrev));
        Assert.DoesNotContain("\"edit\"", text);
        Assert.EndsWith(",\"model\":\"m\",\"tensors\":true}", text);
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("openai")]
    public void A_reference_changed_without_its_hash_fails_at_recomputed(string convention)
    {
        var forged = TraceForger.EditHeader(Record("inpaint", convention, true), h =>
        {
            var t = h["edit"]!["tensors"]!;
            var values = Floats(t["reference"]!);
            values[0] += 0.5f;
            t["reference"] = Base64(values);
        });
        var (level, f) = Failed(Verify(forged));
        Assert.Equal(Recomputed, level);
        Assert.Equal("edit.tensors.reference", f.Field);
        Assert.Contains("edit.reference", f.Expected);
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("openai")]
    public void A_reference_changed_with_its_hash_fails_where_a_step_is_recomputed_with_it(string convention)
    {
        var forged = TraceForger.EditHeader(Record("inpaint", convention, true), h =>
        {
            var e = h["edit"]!;
            var values = Floats(e["tensors"]!["reference"]!);
            values[0] = -values[0] - 0.25f; // element 0 is known (kept from the reference) in every step
            e["tensors"]!["reference"] = Base64(values);
            e["reference"] = TensorHash.Of(values);
        });
        var (level, f) = Failed(Verify(forged));
        Assert.Equal(Recomputed, level);
        Assert.Equal(Some(0), f.Step);
        Assert.Equal("tensors.next_sample[0]", f.Field);
        Assert.Contains("replacement included", f.Expected);
    }

    [Fact]
    public void A_mask_changed_without_its_hash_fails_at_recomputed()
    {
        var forged = TraceForger.EditHeader(Record("inpaint", "scheduler", true), h =>
        {
            var t = h["edit"]!["tensors"]!;
            var values = Floats(t["mask"]!);
            values[2] = 1f - values[2];
            t["mask"] = Base64(values);
        });
        var (level, f) = Failed(Verify(forged));
        Assert.Equal(Recomputed, level);
        Assert.Equal("edit.tensors.mask", f.Field);
        Assert.Contains("edit.replacement.mask", f.Expected);
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("openai")]
    public void A_mask_changed_with_its_hash_fails_where_a_step_is_recomputed_with_it(string convention)
    {
        var forged = TraceForger.EditHeader(Record("inpaint", convention, true), h =>
        {
            var e = h["edit"]!;
            var values = Floats(e["tensors"]!["mask"]!);
            values[0] = 0f; // element 0 was known: now the model's estimate is kept there
            e["tensors"]!["mask"] = Base64(values);
            e["replacement"]!["mask"] = TensorHash.Of(values);
        });
        var (level, f) = Failed(Verify(forged));
        Assert.Equal(Recomputed, level);
        Assert.Equal("tensors.next_sample[0]", f.Field);
    }

    [Fact]
    public void Steps_recomputed_without_the_replacement_fail_at_recomputed()
    {
        // The forger recomputes every step with the plain sampling kernel (no replacement) and reseals: the chain holds.
        var forged = TraceForger.Recompute(Record("colorize", "scheduler", true), (_, _, v) => v);
        var (level, f) = Failed(Verify(forged));
        Assert.Equal(Recomputed, level);
        Assert.Equal(Some(0), f.Step);
        Assert.StartsWith("tensors.next_sample[", f.Field);
        Assert.Contains("(recomputed, replacement included)", f.Expected);
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("openai")]
    public void A_replaced_step_changed_and_carried_on_fails_at_recomputed_naming_the_element(string convention)
    {
        var lines = TraceBytes.Lines(Record("superres", convention, true));
        var step0 = JsonNode.Parse(lines[1])!.AsObject();
        var step1 = JsonNode.Parse(lines[2])!.AsObject();
        var next = Floats(step0["tensors"]!["next_sample"]!);
        next[17] += 1e-3f;
        foreach (var (step, field) in new[] { (step0, "next_sample"), (step1, "sample") })
        {
            step["tensors"]![field] = Base64(next);
            step["hashes"]![field] = TensorHash.Of(next);
        }
        var compact = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        lines[1] = step0.ToJsonString(compact);
        lines[2] = step1.ToJsonString(compact);
        var (level, f) = Failed(Verify(TraceBytes.Rechain(lines)));
        Assert.Equal(Recomputed, level);
        Assert.Equal("tensors.next_sample[17]", f.Field);
    }

    public static TheoryData<string, string, string, string> HeaderForgeries() => new()
    {
        { "inpaint", "scheduler", "task=superres", "edit.task" },
        { "colorize", "openai", "task=inpaint", "edit.task" },
        { "subspace", "scheduler", "task=colorize", "edit.task" },
        { "inpaint", "scheduler", "shape", "edit.replacement" },
        { "superres", "scheduler", "patch", "edit.replacement" },
        { "colorize", "scheduler", "known", "edit.task" },
        { "projector", "openai", "projector", "edit.replacement" },
        { "inpaint", "scheduler", "convention=openai", "timestep" },
        { "inpaint", "openai", "convention=scheduler", "schedule" },
    };

    [Theory]
    [MemberData(nameof(HeaderForgeries))]
    public void A_resealed_change_to_the_headers_edit_fields_fails_at_chain(string task, string convention, string change, string field)
    {
        var forged = TraceForger.EditHeader(Record(task, convention, inline: false), h =>
        {
            var e = h["edit"]!;
            var r = e["replacement"]!;
            switch (change.Split('='))
            {
                case ["task", var t]: e["task"] = t; break;
                case ["convention", var c]: e["convention"] = c; break;
                case ["shape"]: r["shape"] = new JsonArray(3, 8, 4); break;
                case ["patch"]: r["patch"] = 2; break;
                case ["known"]: r["known"] = new JsonArray(true, true, false); break;
                case ["projector"]:
                    var p = Floats(r["projector"]!);
                    p[1] = 0.5f;
                    r["projector"] = Base64(p);
                    break;
            }
        });
        var (level, f) = Failed(Verify(forged));
        Assert.Equal(Chain, level);
        Assert.Equal(field, f.Field);
    }

    [Theory]
    [InlineData("scheduler")]
    [InlineData("openai")]
    public void An_edit_trace_with_another_seed_fails_at_seeded(string convention)
    {
        var forged = TraceForger.EditHeader(Record("colorize", convention, true), h => h["noise"]!["seed"] = 6);
        var (level, f) = Failed(Verify(forged));
        Assert.Equal(VerificationLevel.Seeded, level);
        Assert.Equal("hashes.sample", f.Field);
    }

    [Fact]
    public void A_hash_only_trace_cannot_see_a_resealed_reference_hash_so_only_a_signature_proves_it()
    {
        // Documented limit (docs/trace-format.md): without the reference's values nothing derives from its hash.
        var forged = TraceForger.EditHeader(Record("inpaint", "scheduler", false), h => h["edit"]!["reference"] = new string('a', 64));
        var r = Verify(forged);
        Assert.True(r.Ok, r.ToString());
        Assert.DoesNotContain(Recomputed, r.Levels.Reached);
    }

    // The recorder's network, evaluated again by replay.
    private static float[] Network(float[] scaled, double t) => scaled.Select(s => MathF.Tanh(s) * 0.9f + (float)(0.001 * t)).ToArray();

    [Theory]
    [InlineData("inpaint")]
    [InlineData("colorize")]
    [InlineData("superres8")]
    [InlineData("projector")]
    public void Replay_reruns_an_edit_in_cms_convention_with_the_reference_inline(string task)
    {
        var r = TraceReplay.Replay(TraceInput.Split(Record(task, "scheduler", true)), Network, Seeded);
        Assert.True(r.Ok, r.ToString());
        Assert.Contains(Replayed, r.Verification.Levels.Reached);
        Assert.Equal(4, r.Steps);
    }

    [Fact]
    public void Replay_with_another_network_diverges_at_the_first_model_output()
    {
        var r = TraceReplay.Replay(TraceInput.Split(Record("inpaint", "scheduler", true)), (x, t) => Network(x, t + 1), Seeded);
        var failure = r.Verification.Levels.Failure.IfNone(() => throw new Xunit.Sdk.XunitException("replay passed"));
        Assert.Equal(Replayed, failure.Level);
        Assert.StartsWith("model_output[", failure.Trace.Map(f => f.Field).IfNone(""));
    }

    [Theory]
    [InlineData("scheduler", false)]
    [InlineData("openai", true)]
    public void Replay_refuses_an_edit_it_cannot_rerun_with_a_typed_error(string convention, bool inline)
    {
        var r = TraceReplay.Replay(TraceInput.Split(Record("inpaint", convention, inline)), Network, Seeded);
        var failure = r.Verification.Levels.Failure.IfNone(() => throw new Xunit.Sdk.XunitException("replay passed"));
        Assert.Equal(Replayed, failure.Level);
        Assert.IsType<Cm.Pure.Errors.EditNotReplayable>(failure.Cause);
    }
}
