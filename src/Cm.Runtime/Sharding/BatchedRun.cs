using System.Collections.Immutable;
using Cm.Pure.Errors;
using Cm.Pure.Sharding;
using Cm.Pure.Traces;
using Cm.Runtime.Models;
using Cm.Runtime.Sampling;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Sharding;

/// <summary>
/// A range of global samples computed in batches: batch [a, b) is the request with <c>b − a</c> samples,
/// noise and drawn labels keyed from global sample a, and the given labels a..b−1. With Philox noise
/// every sample's bytes are then independent of the batch size and of which process computes it (as long
/// as the model treats samples independently, as the analytic models do).
/// </summary>
public static class BatchedRun
{
    /// <summary>The request for one batch of a run whose whole-run request is <paramref name="run"/>.</summary>
    public static Fin<SamplingRequest> ForBatch(SamplingRequest run, SampleRange batch) =>
        run.Noise.Kind != NoiseKind.Philox && batch.First != 0
            ? new UnshardableNoise($"a batch starting at sample {batch.First}")
            : batch.IsEmpty || batch.End > ShardPlan.MaxSamples || batch.Count > int.MaxValue
                ? new InvalidShard($"batch {batch}: need 1..{int.MaxValue} samples below 2^32")
                : run.Labels switch
                {
                    LabelSpec.Given g when g.Labels.Length < batch.End =>
                        new InvalidShard($"{g.Labels.Length} class labels do not reach sample {batch.End - 1}: give one label per sample of the run"),
                    LabelSpec.Given g => FinSucc(Batch(run, batch, new LabelSpec.Given(g.Labels.Slice((int)batch.First, (int)batch.Count)))),
                    var labels => FinSucc(Batch(run, batch, labels)),
                };

    /// <summary>
    /// Runs <paramref name="range"/> in batches of <paramref name="batchSize"/> on <paramref name="device"/> (resolved
    /// once by the caller) for a model with <paramref name="classes"/> classes (None: it does not say); the schedule is
    /// built once and each batch is planned with it. Each batch gets the trace observer <paramref name="traceFor"/>
    /// makes for it (by batch number) and its result goes to <paramref name="onBatch"/>. Stops at the first error.
    /// </summary>
    public static Fin<Unit> Run(
        SamplingRequest run, SampleRange range, int batchSize, IModel model, torch.Device device, Option<int> classes,
        Func<int, SampleRange, Fin<Option<IStepObserver>>> traceFor,
        Func<SampleRange, SamplingResult, Fin<Unit>> onBatch,
        CancellationToken cancellation = default) =>
        Schedule.Create(run.Config, run.Schedule).Bind(schedule =>
            Run(run, schedule, range, batchSize, model, device, classes, traceFor, onBatch, cancellation));

    /// <summary>As the public <c>Run</c>, with the schedule of the run's config and spec already built by the caller.</summary>
    internal static Fin<Unit> Run(
        SamplingRequest run, Schedule schedule, SampleRange range, int batchSize, IModel model, torch.Device device, Option<int> classes,
        Func<int, SampleRange, Fin<Option<IStepObserver>>> traceFor,
        Func<SampleRange, SamplingResult, Fin<Unit>> onBatch,
        CancellationToken cancellation) =>
            ShardPlan.Batches(range, batchSize).Select((batch, number) => (batch, number)).Fold(
                FinSucc(unit),
                (done, b) => done.Bind(_ =>
                    from request in ForBatch(run, b.batch)
                    from plan in SamplingPlan.Create(request, schedule, device, classes)
                    from trace in traceFor(b.number, b.batch)
                    from result in Pipeline.Run(plan, model, trace.MatchUnsafe(t => t, () => null), cancellation)
                    from __ in onBatch(b.batch, result)
                    select unit));

    private static SamplingRequest Batch(SamplingRequest run, SampleRange batch, LabelSpec labels) =>
        run with { Batch = (int)batch.Count, Noise = run.Noise with { FirstSample = (uint)batch.First }, Labels = labels };

    /// <summary>The identity spelling of a run's labels: none, random:&lt;classes&gt;, or given:&lt;SHA-256 of "l0,l1,…"&gt;.</summary>
    public static string LabelIdentity(LabelSpec labels) => labels switch
    {
        LabelSpec.Drawn d => $"random:{d.Classes}",
        LabelSpec.Given g => "given:" + TensorHash.OfBytes(System.Text.Encoding.ASCII.GetBytes(string.Join(",", g.Labels))),
        _ => "none",
    };

    /// <summary>Whether the labels are a list (they must then number one per sample of the run).</summary>
    public static Option<ImmutableArray<int>> GivenLabels(LabelSpec labels) => labels is LabelSpec.Given g ? Some(g.Labels) : None;
}
