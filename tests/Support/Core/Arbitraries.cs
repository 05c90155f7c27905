using Cm.Pure.Config;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using FsCheck;
using FsCheck.Fluent;

namespace Cm.Tests.Core;

/// <summary>A valid config with a valid schedule for it.</summary>
public sealed record ScheduleCase(ValidConfig Config, TimestepSpec Spec)
{
    public Schedule Schedule => Schedule.Create(Config, Spec).Match(s => s, e => throw new InvalidOperationException(e.Message));
    public override string ToString() => $"{Config.Value} {Spec}";
}

/// <summary>A scheduler ready at some position, a sample, a model output and the noise it will draw.</summary>
public sealed record StepCase(SchedulerState State, Tensor<float> Sample, Tensor<float> ModelOutput, float[] Noise)
{
    public override string ToString() =>
        $"{State.Config.Value} {State.Schedule.Spec} at {State.StepIndex} shape {Sample.Shape} x[0..3]=[{string.Join(",", Sample.Data[..Math.Min(3, Sample.Count)].ToArray())}]";
}

/// <summary>Any config, valid or not: finite, infinite, NaN, zero and negative values.</summary>
public sealed record AnyConfig(SchedulerConfig Value)
{
    public override string ToString() => Value.ToString();
}

/// <summary>Any schedule request for N = 40: any step count, any list (empty, unsorted, negative, too large).</summary>
public sealed record AnyRequest(int? Steps, int[] Indices)
{
    public TimestepSpec Spec => Steps is { } n ? TimestepSpec.OfSteps(n) : TimestepSpec.OfIndices(Indices);
    public override string ToString() => Steps is { } n ? $"steps={n}" : $"[{string.Join(",", Indices)}]";
}

/// <summary>Generators for the core's properties.</summary>
public static class Arbitraries
{
    private static Gen<double> Uniform(double lo, double hi) =>
        Gen.Choose(0, 1 << 30).Select(i => lo + (hi - lo) * (i / (double)(1 << 30)));

    private static Gen<double> LogUniform(double lo, double hi) =>
        Uniform(Math.Log(lo), Math.Log(hi)).Select(Math.Exp);

    public static Gen<ValidConfig> ValidConfigs =>
        from n in Gen.Frequency((1, Gen.Constant(40)), (3, Gen.Choose(2, 400)))
        from smin in LogUniform(1e-4, 0.5)
        from ratio in LogUniform(1.5, 1e5)
        from sd in LogUniform(0.05, 4)
        from sn in Gen.Frequency((1, Gen.Constant(0.0)), (1, Gen.Constant(1.0)), (2, Uniform(0, 2)))
        from rho in Uniform(0.5, 12)
        from clip in Gen.Elements(true, false)
        select ConfigValidation.ValidateFin(new SchedulerConfig(n, smin, smin * ratio, sd, sn, rho, clip))
            .Match(v => v, e => throw new InvalidOperationException(e.Message));

    public static Gen<TimestepSpec> SpecsFor(int n) =>
        Gen.OneOf(
            Gen.Choose(1, n).Select(TimestepSpec.OfSteps),
            Gen.SubListOf(Enumerable.Range(0, n).ToArray()).Where(l => l.Count > 0)
                .Select(l => TimestepSpec.OfIndices(l.OrderDescending().ToArray())));

    public static Gen<ScheduleCase> ScheduleCases =>
        from c in ValidConfigs
        from spec in SpecsFor(c.NumTrainTimesteps)
        select new ScheduleCase(c, spec);

    public static Gen<Shape> Shapes =>
        from b in Gen.Choose(1, 3)
        from ch in Gen.Elements(1, 3)
        from h in Gen.Choose(1, 6)
        from w in Gen.Choose(1, 6)
        select Shape.Of(b, ch, h, w);

    public static Gen<float[]> Floats(int count, double scale) =>
        Gen.ArrayOf(Gen.Frequency(
            (20, Uniform(-scale, scale).Select(d => (float)d)),
            (1, Gen.Elements(0f, -0f, 1f, -1f, float.Epsilon))), count);

    public static Gen<StepCase> StepCases =>
        from sc in ScheduleCases
        from shape in Shapes
        from position in Gen.Choose(0, sc.Schedule.Steps - 1)
        from x in Floats(shape.Count, 100)
        from f in Floats(shape.Count, 3)
        from z in Floats(shape.Count, 4)
        let state = Scheduler.Create(sc.Config, sc.Schedule, RecordedNoise.Of(z)) with { StepIndex = position }
        select new StepCase(state, Tensor<float>.From(shape, x), Tensor<float>.From(shape, f), z);

    private static Gen<double> AnyDouble =>
        Gen.Frequency(
            (6, Uniform(-2, 100)),
            (2, LogUniform(1e-6, 1e6)),
            (1, Gen.Elements(0.0, -0.0, -1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon)));

    public static Gen<AnyConfig> AnyConfigs =>
        from n in Gen.Choose(-3, 60)
        from smin in AnyDouble
        from smax in AnyDouble
        from sd in AnyDouble
        from sn in AnyDouble
        from rho in AnyDouble
        from clip in Gen.Elements(true, false)
        select new AnyConfig(new SchedulerConfig(n, smin, smax, sd, sn, rho, clip));

    public static Gen<AnyRequest> AnyRequests =>
        Gen.OneOf(
            Gen.Choose(-5, 50).Select(n => new AnyRequest(n, [])),
            Gen.Choose(0, 6).SelectMany(len => Gen.ArrayOf(Gen.Choose(-5, 45), len)).Select(l => new AnyRequest(null, l)),
            Gen.SubListOf(Enumerable.Range(-3, 47).ToArray()).Select(l => new AnyRequest(null, l.OrderDescending().ToArray())));

    public static Arbitrary<ScheduleCase> ScheduleCaseArb() => ScheduleCases.ToArbitrary();
    public static Arbitrary<StepCase> StepCaseArb() => StepCases.ToArbitrary();
    public static Arbitrary<ValidConfig> ValidConfigArb() => ValidConfigs.ToArbitrary();
    public static Arbitrary<AnyConfig> AnyConfigArb() => AnyConfigs.ToArbitrary();
    public static Arbitrary<AnyRequest> AnyRequestArb() => AnyRequests.ToArbitrary();
}
