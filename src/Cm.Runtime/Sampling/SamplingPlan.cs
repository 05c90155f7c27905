using System.Collections.Immutable;
using Cm.Pure.Noise.Philox;
using Cm.Pure.Schedules;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Sampling;

/// <summary>
/// A <see cref="SamplingRequest"/> validated once, at the edge, into what the loop needs: the schedule built, the
/// device resolved, the labels drawn or checked. Nothing after it re-checks the request; the only way to get one
/// is <see cref="Create(SamplingRequest, Option{int})"/>.
/// </summary>
public sealed record SamplingPlan
{
    private SamplingPlan(SamplingRequest request, Schedule schedule, torch.Device device, ImmutableArray<int> labels)
    {
        Request = request;
        Schedule = schedule;
        Device = device;
        Labels = labels;
    }

    /// <summary>The request as given.</summary>
    public SamplingRequest Request { get; }

    /// <summary>The sampling schedule the request names.</summary>
    public Schedule Schedule { get; }

    /// <summary>The device the run uses.</summary>
    public torch.Device Device { get; }

    /// <summary>One label per sample, or none for an unconditional run.</summary>
    public ImmutableArray<int> Labels { get; }

    /// <summary>
    /// Validates <paramref name="request"/> for a model with <paramref name="classes"/> classes (None: the model does
    /// not say; 0: unconditional), resolving its device. Fails with the first problem: batch, sample shape, labels,
    /// schedule, device.
    /// </summary>
    public static Fin<SamplingPlan> Create(SamplingRequest request, Option<int> classes) =>
        request.Device.Resolve().Bind(device => Create(request, device, classes));

    /// <summary>
    /// As <see cref="Create(SamplingRequest, Option{int})"/> on a device the caller already resolved from
    /// <see cref="SamplingRequest.Device"/> (to load the model there first).
    /// </summary>
    public static Fin<SamplingPlan> Create(SamplingRequest request, torch.Device device, Option<int> classes) =>
        Schedule.Create(request.Config, request.Schedule).Bind(schedule => Create(request, schedule, device, classes));

    /// <summary>
    /// As <see cref="Create(SamplingRequest, torch.Device, Option{int})"/> with the schedule of the request's config and
    /// schedule spec already built (a run in batches builds it once for all its batches).
    /// </summary>
    internal static Fin<SamplingPlan> Create(SamplingRequest request, Schedule schedule, torch.Device device, Option<int> classes) =>
        from batch in request.Batch >= 1
            ? FinSucc(request.Batch)
            : FinFail<int>(new InvalidRequest($"batch = {request.Batch}: must be at least 1"))
        from shape in request.ItemShape.Rank >= 1 && request.ItemShape.Count >= 1
            ? FinSucc(request.ItemShape)
            : FinFail<Cm.Pure.Tensors.Shape>(new InvalidRequest($"sample shape {request.ItemShape}: every dimension must be at least 1"))
        from noise in request.Noise.Kind == Cm.Pure.Traces.NoiseKind.Philox || request.Noise.FirstSample == 0
            ? FinSucc(request.Noise)
            : FinFail<Cm.Pure.Traces.NoiseSpec>(new InvalidRequest(
                $"{request.Noise.Kind.ToString().ToLowerInvariant()} noise cannot start at global sample {request.Noise.FirstSample}: only philox noise is keyed by the sample index"))
        from indices in (ulong)request.Noise.FirstSample + (ulong)request.Batch <= 1UL << 32
            ? FinSucc(unit)
            : FinFail<Unit>(new InvalidRequest(
                $"samples {request.Noise.FirstSample}..{(ulong)request.Noise.FirstSample + (ulong)request.Batch - 1}: Philox sample indices are 32-bit, the last is 4294967295"))
        from labels in ResolveLabels(request, classes)
        select new SamplingPlan(request, schedule, device, labels);

    /// <summary>
    /// The labels of a run: given ones checked against the batch and the model's classes, drawn ones from the seed's
    /// reserved Philox stream (so the same seed gives the same labels whatever the noise kind).
    /// </summary>
    public static Fin<ImmutableArray<int>> ResolveLabels(SamplingRequest r, Option<int> classes)
    {
        var known = classes.Filter(c => c >= 0);
        switch (r.Labels)
        {
            case LabelSpec.None:
                return FinSucc(ImmutableArray<int>.Empty);
            case var _ when known.Exists(c => c == 0):
                return FinFail<ImmutableArray<int>>(new InvalidRequest("the model is unconditional and takes no class labels; leave them out"));
            case LabelSpec.Given g when g.Labels.Length != r.Batch:
                return FinFail<ImmutableArray<int>>(new InvalidRequest($"{g.Labels.Length} class labels for a batch of {r.Batch}: give one label per sample"));
            case LabelSpec.Given g when g.Labels.Any(l => l < 0):
                return FinFail<ImmutableArray<int>>(new InvalidRequest($"class label {g.Labels.First(l => l < 0)}: labels must be >= 0"));
            case LabelSpec.Given g when known.Exists(c => g.Labels.Any(l => l >= c)):
                var c = known.IfNone(0);
                return FinFail<ImmutableArray<int>>(new InvalidRequest(
                    $"class label {g.Labels.First(l => l >= c)} is out of range: the model's classes are 0..{c - 1}"));
            case LabelSpec.Given g:
                return FinSucc(g.Labels);
            case LabelSpec.Drawn d when d.Classes < 1:
                return FinFail<ImmutableArray<int>>(new InvalidRequest($"cannot draw labels from {d.Classes} classes: need at least 1"));
            case LabelSpec.Drawn d:
                var drawn = new int[r.Batch];
                PhiloxLabels.ClassLabels(r.Noise.Seed, r.Noise.FirstSample, d.Classes, drawn); // keyed by global sample index
                return FinSucc(drawn.ToImmutableArray());
            default:
                return FinFail<ImmutableArray<int>>(new InvalidRequest($"unknown label specification {r.Labels}"));
        }
    }
}
