using System.Text.Json.Nodes;
using Cm.Pure.Editing;
using Cm.Pure.Noise;
using Cm.Pure.Noise.Torch;
using Cm.Pure.Tensors;
using Cm.Tests.Golden;
using Xunit;
using static Cm.Tests.Editing.EditingGolden;

namespace Cm.Tests.Editing;

/// <summary>
/// openai's zero-shot editing (golden editing README) reproduced by Cm.Pure: the schedule scalars, the
/// processed reference, and per step the clamp, the replacement (bit-exact recipe: recorded float32 Q,
/// sequential float32 sums, torch's AVX2 patch mean), the noise update and the result, all bit for bit;
/// and the whole loop from the seed alone, with the recorded model outputs replayed.
/// </summary>
public sealed class EditingGoldenParity
{
    public static TheoryData<string> Cases => Rows();

    public static TheoryData<string> Edits => EditRows();

    [Fact]
    public void The_golden_folder_holds_every_task()
    {
        var tasks = RowIds().Select(r => (string)Case(r)["task"]!).Distinct().Order().ToArray();
        Assert.Equal(["colorization", "inpainting", "sampling", "superres"], tasks);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Schedule_scalars_are_bit_exact(string row)
    {
        var c = Case(row);
        var s = Schedule(c);
        var scalars = s.StepScalars();
        var steps = c["steps"]!.AsArray();
        Assert.Equal(steps.Count, scalars.Length);
        Bits.Equal(Encoded.Parse(c["t_max_rho"]), Math.Pow(s.TMax, 1.0 / s.Rho), "t_max_rho");
        Bits.Equal(Encoded.Parse(c["t_min_rho"]), Math.Pow(s.TMin, 1.0 / s.Rho), "t_min_rho");
        for (var i = 0; i < steps.Count; i++)
        {
            var g = steps[i]!;
            var sc = scalars[i];
            Assert.Equal((int)g["ts_i"]!, sc.TsI);
            Assert.Equal((int)g["ts_next"]!, sc.TsNext);
            Bits.Equal(Encoded.Parse(g["t"]), sc.T, $"step {i} t");
            Bits.Equal(Encoded.Parse(g["sigma_in"]), Enumerable.Repeat(sc.SigmaIn, ShapeOf(c)[0]).ToArray(), $"step {i} sigma_in");
            Bits.Equal(Encoded.Parse(g["next_t_unclipped"]), sc.NextTUnclipped, $"step {i} next_t_unclipped");
            Bits.Equal(Encoded.Parse(g["next_t"]), sc.NextT, $"step {i} next_t");
            Bits.Equal(Encoded.Parse(g["noise_scale"]), sc.NoiseScale, $"step {i} noise_scale");
            Bits.Equal(Encoded.Parse(g["noise_scale_f32"]), sc.NoiseScaleF32, $"step {i} noise_scale_f32");
        }
        Bits.Equal(Encoded.Parse(c["last_noise_scale_f32"]), scalars[^1].NoiseScaleF32, "last_noise_scale_f32");
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void Processed_reference_is_bit_exact(string row)
    {
        var c = Case(row);
        var (r, _) = ReplacementOf(c);
        Bits.Equal(Encoded.Parse(c["images_processed"]), Ok(Replacements.Preprocess(r, T(c, "images"))), "images_processed");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_step_with_recorded_model_outputs_is_bit_exact(string row)
    {
        var c = Case(row);
        var (r, clamp) = ReplacementOf(c);
        var processed = c["images_processed"] is null ? Reference(c) : T(c, "images_processed");
        var scalars = Schedule(c).StepScalars();
        var steps = c["steps"]!.AsArray();
        for (var i = 0; i < steps.Count; i++)
        {
            var g = steps[i]!;
            var step = Ok(EditLoop.Step(scalars[i], r, clamp, processed, T(g, "x_in"), T(g, "model_output"), T(g, "noise")));
            if (clamp)
            {
                Bits.Equal(Encoded.Parse(g["x0_clamped"]), step.Clamped, $"step {i} x0_clamped");
                Bits.Equal(Encoded.Parse(g["x0_replaced"]), step.Replaced, $"step {i} x0_replaced");
            }
            else
            {
                Assert.Null(g["x0_replaced"]);
                Bits.Equal(Encoded.Parse(g["model_output"]), step.Replaced, $"step {i} x0 (no replacement)");
            }
            var next = i + 1 < steps.Count ? steps[i + 1]!["x_in"] : c["final_x"];
            Bits.Equal(Encoded.Parse(next), step.XOut, $"step {i} result");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Whole_loop_from_the_seed_alone_is_bit_exact(string row)
    {
        var c = Case(row);
        var (r, clamp) = ReplacementOf(c);
        var shape = ShapeOf(c);
        INoise noise = TorchNoise.FromSeed((ulong)c["rng"]!["seed"]!);
        var (randn, _) = noise.Draw32(shape).Ok();
        Bits.Equal(Encoded.Parse(c["initial_randn"]), randn, "initial_randn");
        var steps = c["steps"]!.AsArray();
        var calls = 0;
        var run = Ok(EditLoop.Run(Schedule(c), r, Reference(c), noise, Replay(steps, () => calls++), clamp));
        Assert.Equal(steps.Count, calls);
        Bits.Equal(Encoded.Parse(c["x_T"]), run.XT, "x_T");
        for (var i = 0; i < steps.Count; i++)
            Bits.Equal(Encoded.Parse(steps[i]!["noise"]), run.Steps[i].Noise, $"step {i} noise");
        Bits.Equal(Encoded.Parse(c["final_x"]), run.Final, "final_x");
        if (c["final_x_elements_changed_by_last_noise"] is JsonNode changed && c["steps"]![steps.Count - 1]!["x0_replaced"] is not null)
        {
            var last = run.Steps[^1].Replaced;
            var n = Enumerable.Range(0, last.Count).Count(k => BitConverter.SingleToUInt32Bits(last[k]) != BitConverter.SingleToUInt32Bits(run.Final[k]));
            Assert.Equal((int)changed, n);
        }
    }

    /// <summary>
    /// A denoiser that replays the recorded model outputs in order, checking that call i gets the recorded
    /// x_in and σ bit for bit.
    /// </summary>
    internal static EditLoop.Denoiser Replay(JsonArray steps, Action counted)
    {
        var i = 0;
        return (x, sigma) =>
        {
            Assert.True(i < steps.Count, $"model call {i + 1}, but only {steps.Count} were recorded");
            var g = steps[i++]!;
            counted();
            Bits.Equal(Encoded.Parse(g["x_in"]), x, $"model call {i - 1} x_in");
            Assert.Equal(BitConverter.SingleToUInt32Bits(Encoded.Parse(g["sigma_in"]).F32()[0]), BitConverter.SingleToUInt32Bits(sigma));
            return T(g, "model_output");
        };
    }
}
