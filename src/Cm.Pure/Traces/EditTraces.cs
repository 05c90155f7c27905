using System.Buffers;
using Cm.Pure.Config;
using Cm.Pure.Editing;
using Cm.Pure.Schedules;
using Cm.Pure.Schedules.Arithmetic;
using Cm.Pure.Tensors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Traces;

/// <summary>
/// Traces of edits in openai's convention, run in the pure core (<see cref="EditLoop.Run"/>), so that a library user's
/// (or a parity test's) edit can be proved by <c>cm verify</c> like <c>cm edit</c>'s. The grid is spelt in the config's
/// keys (docs/trace-format.md, "Edit runs"); step lines carry <see cref="EditStepScalars.Traced"/> and no generator
/// position (<see cref="EditRun"/> keeps none).
/// </summary>
public static class EditTraces
{
    /// <summary>
    /// The header of an openai-convention edit: num_train_timesteps = the grid's points, sigma_min/sigma_max/rho = t_min,
    /// t_max, ρ, clip_denoised = the clamp, the timesteps = ts; sigma_data and s_noise (unused) at diffusers' defaults.
    /// </summary>
    public static RunHeader OpenaiHeader(KarrasEditSchedule schedule, bool clamp, NoiseSpec noise, Shape shape, string model, string library,
        Replacement replacement, Tensor<float> reference) =>
        new(new SchedulerConfig(schedule.Steps, schedule.TMin, schedule.TMax, 0.5, 1.0, schedule.Rho, clamp),
            TimestepSpec.OfIndices([.. schedule.Ts]), noise, shape, TraceFormat.Float32, "cpu", None, model, library)
        {
            ScheduleMath = Some(ScheduleMath.Glibc), // KarrasEditSchedule.T: the editing goldens' arithmetic
            Edit = Some(EditHeader.Of(EditTasks.Of(replacement), EditConvention.Openai, replacement, reference)),
        };

    /// <summary>The whole trace of a finished edit, each line ended by a newline.</summary>
    public static byte[] Write(RunHeader header, bool inlineTensors, EditRun run)
    {
        var output = new ArrayBufferWriter<byte>(1 << 16);
        var prev = Line(output, TraceLines.Header(header, inlineTensors, TraceFormat.GenesisPrev));
        foreach (var step in run.Steps)
        {
            var hashes = new StepHashes(TensorHash.Of(step.XIn.Data), TensorHash.Of(step.ModelOutput.Data), Some(TensorHash.Of(step.Noise.Data)), TensorHash.Of(step.XOut.Data));
            var tensors = inlineTensors ? new StepTensors(step.XIn.ToArray(), step.ModelOutput.ToArray(), Some(step.Noise.ToArray()), step.XOut.ToArray()) : null;
            prev = Line(output, TraceLines.Step(step.Scalars.Traced(), null, hashes, tensors, prev));
        }
        Line(output, TraceLines.Footer(run.Steps.Count, run.Final, true, prev));
        return output.WrittenSpan.ToArray();
    }

    private static string Line(ArrayBufferWriter<byte> output, byte[] line)
    {
        output.Write(line);
        output.Write("\n"u8);
        return TensorHash.OfBytes(line);
    }
}
