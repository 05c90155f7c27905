using Cm.Pure.Config;
using Cm.Pure.Noise;
using Cm.Pure.Sampling;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using FsCheck.Xunit;
using Xunit;

namespace Cm.Tests.Simd;

/// <summary>
/// The immutable steps on pooled buffers (<see cref="Scheduler.Step{T}(SchedulerState, Tensor{T}, Timestep, Tensor{T})"/>,
/// <see cref="Scheduler.StepSample{T}"/>): after released results have left dirty arrays in the pool, the
/// next result still equals the scalar definition bit for bit; a result nobody released never changes,
/// whatever later steps do; a released result can no longer be read (an error, never other values); the
/// pool stays within its bounds.
/// </summary>
public sealed class PooledStepProperties
{
    private const int Cases = 300;

    private static readonly float[] Edges =
    [
        float.NaN, 0f, -0f, float.PositiveInfinity, float.NegativeInfinity, 1f, -1f,
        BitConverter.UInt32BitsToSingle(0x3F800001), BitConverter.UInt32BitsToSingle(0xBF800001), float.Epsilon, float.MaxValue, 3e38f,
    ];

    private static float AnyFloat(Random r) => r.Next(4) switch
    {
        0 => Edges[r.Next(Edges.Length)],
        1 => BitConverter.UInt32BitsToSingle((uint)r.NextInt64(0, 1L << 32)),
        _ => (float)(r.NextDouble() * 6 - 3),
    };

    private static float[] Floats(Random r, int n)
    {
        var a = new float[n];
        for (var i = 0; i < n; i++) a[i] = AnyFloat(r);
        return a;
    }

    private static uint[] Bits(ReadOnlySpan<float> v)
    {
        var b = new uint[v.Length];
        for (var i = 0; i < v.Length; i++) b[i] = float.IsNaN(v[i]) ? 0x7FC00000u : BitConverter.SingleToUInt32Bits(v[i]);
        return b;
    }

    private sealed record Case(SchedulerState State, Timestep T, Shape Shape, Tensor<float> F, Tensor<float> X, float[] Z, StepScalars Sc, bool Clip);

    private static Case Make(int seed)
    {
        var r = new Random(seed);
        var clip = r.Next(2) == 0;
        var config = ConfigValidation.ValidateFin(ValidConfig.Default.Value with { clip_denoised = clip }).Match(c => c, e => throw new InvalidOperationException(e.Message));
        var schedule = Schedule.Create(config, TimestepSpec.OfSteps(1 + r.Next(5))).Match(s => s, e => throw new InvalidOperationException(e.Message));
        var index = r.Next(schedule.Steps);
        var n = 1 + r.Next(300);
        var shape = Shape.Of(1, n);
        var z = Floats(r, n);
        var state = Scheduler.Create(config, schedule, RecordedNoise.Of(z)) with { StepIndex = index, ModelInputScaled = true };
        return new Case(state, schedule.Timesteps[index], shape, Tensor<float>.From(shape, Floats(r, n)), Tensor<float>.From(shape, Floats(r, n)), z,
            StepScalars.At(config, schedule, index), clip);
    }

    /// <summary>Leaves released arrays of this size, full of other values, in the pool.</summary>
    private static void Dirty(Case c, int seed)
    {
        var r = new Random(~seed);
        var other = Scheduler.Create(c.State.Config, c.State.Schedule, RecordedNoise.Of(Floats(r, c.Shape.Count))) with { StepIndex = c.State.StepIndex };
        for (var k = 0; k < 3; k++)
        {
            Scheduler.Step(other, Tensor<float>.From(c.Shape, Floats(r, c.Shape.Count)), c.T, Tensor<float>.From(c.Shape, Floats(r, c.Shape.Count)))
                .Match(o => o.Dispose(), e => throw new InvalidOperationException(e.Message));
        }
    }

    [Property(MaxTest = Cases)]
    public bool A_pooled_step_equals_the_scalar_definition(int seed)
    {
        var c = Make(seed);
        Dirty(c, seed);
        var n = c.Shape.Count;
        var noise = c.Sc.DrawsNoise ? c.Z : [];
        var denoised = new float[n];
        var next = new float[n];
        StepKernel.ApplyScalar(c.Sc, c.Clip, c.F.Data, c.X.Data, noise, denoised, next);
        var full = Scheduler.Step(c.State, c.F, c.T, c.X).Match(o => o, e => throw new InvalidOperationException(e.Message));
        Dirty(c, seed + 1);
        var lean = Scheduler.StepSample(c.State, c.F, c.T, c.X).Match(o => o, e => throw new InvalidOperationException(e.Message));
        return Bits(full.Sample.Data).SequenceEqual(Bits(next))
            && Bits(full.Denoised.Data).SequenceEqual(Bits(denoised))
            && full.Noise.Match(z => c.Sc.DrawsNoise && Bits(z.Data).SequenceEqual(Bits(c.Z)), () => !c.Sc.DrawsNoise)
            && Bits(lean.Sample.Data).SequenceEqual(Bits(next));
    }

    [Property(MaxTest = Cases)]
    public bool A_result_nobody_released_never_changes(int seed)
    {
        var c = Make(seed);
        var kept = Scheduler.Step(c.State, c.F, c.T, c.X).Match(o => o, e => throw new InvalidOperationException(e.Message));
        var keptLean = Scheduler.StepSample(c.State, c.F, c.T, c.X).Match(o => o, e => throw new InvalidOperationException(e.Message));
        var before = (Bits(kept.Sample.Data), Bits(kept.Denoised.Data), kept.Noise.Map(z => Bits(z.Data)).IfNone([]), Bits(keptLean.Sample.Data));
        for (var k = 0; k < 4; k++)
        {
            Dirty(c, seed + k);
            Scheduler.StepSample(c.State, c.X, c.T, c.F).Match(o => o.Dispose(), e => throw new InvalidOperationException(e.Message));
        }
        return before.Item1.SequenceEqual(Bits(kept.Sample.Data)) && before.Item2.SequenceEqual(Bits(kept.Denoised.Data))
            && before.Item3.SequenceEqual(kept.Noise.Map(z => Bits(z.Data)).IfNone([])) && before.Item4.SequenceEqual(Bits(keptLean.Sample.Data));
    }

    [Fact]
    public void A_released_result_and_its_reshapes_cannot_be_read()
    {
        var c = Make(7);
        var o = Scheduler.Step(c.State, c.F, c.T, c.X).Match(x => x, e => throw new InvalidOperationException(e.Message));
        var reshaped = o.Sample.Reshape(Shape.Of(c.Shape.Count));
        var copy = o.Sample.ToArray();
        o.Dispose();
        Assert.True(o.Sample.IsReleased);
        Assert.True(reshaped.IsReleased);
        Assert.Throws<ObjectDisposedException>(() => o.Sample.Data.Length);
        Assert.Throws<ObjectDisposedException>(() => reshaped[0]);
        Assert.Throws<ObjectDisposedException>(() => o.Denoised.ToArray());
        Assert.Equal(c.Shape.Count, o.Sample.Count);
        o.Dispose(); // a second release does nothing
        Assert.Equal(c.Shape.Count, copy.Length);
    }

    [Fact]
    public void Tensors_that_own_their_array_ignore_release()
    {
        var t = Tensor<float>.From(Shape.Of(3), [1f, 2f, 3f]);
        t.Release();
        Assert.False(t.IsReleased);
        Assert.Equal([1f, 2f, 3f], t.ToArray());
    }

    [Fact]
    public void The_pool_keeps_at_most_its_bound()
    {
        // A length no other test uses, so that parallel tests do not touch these pool entries.
        const int n = 123_457;
        var shape = Shape.Of(1, n);
        var schedule = Schedule.Create(ValidConfig.Default, TimestepSpec.OfSteps(2)).Match(s => s, e => throw new InvalidOperationException(e.Message));
        var state = Scheduler.Create(ValidConfig.Default, schedule, RecordedNoise.Of(new float[n])) with { ModelInputScaled = true };
        var x = Tensor<float>.Zeros(shape);
        var outcomes = Enumerable.Range(0, 3 * BufferPool<float>.MaxPerLength)
            .Select(_ => Scheduler.Step(state, x, schedule.Timesteps[0], x).Match(o => o, e => throw new InvalidOperationException(e.Message)))
            .ToList();
        Assert.Equal(0, BufferPool<float>.HeldArrays(n));
        foreach (var o in outcomes) o.Dispose();
        Assert.Equal(BufferPool<float>.MaxPerLength, BufferPool<float>.HeldArrays(n));
        Assert.InRange(BufferPool<float>.HeldBytes, BufferPool<float>.MaxPerLength * 4L * n, BufferPool<float>.MaxBytes);
        Assert.All(outcomes, o => Assert.True(o.Sample.IsReleased && o.Denoised.IsReleased && o.Noise.ForAll(z => z.IsReleased)));
        for (var k = 0; k < BufferPool<float>.MaxPerLength; k++) _ = BufferPool<float>.Rent(n);
        Assert.Equal(0, BufferPool<float>.HeldArrays(n));
    }

    [Fact]
    public void Warming_the_pool_tops_it_up_to_the_count_within_its_bound()
    {
        // A length no other test uses, so that parallel tests do not touch these pool entries.
        const int n = 123_461;
        var shape = Shape.Of(1, n);
        Tensor<float>.WarmPool(shape, 3);
        Assert.Equal(3, BufferPool<float>.HeldArrays(n));
        var t = Tensor<float>.Pooled(shape, new float[n]);  // takes one of them
        Assert.Equal(2, BufferPool<float>.HeldArrays(n));
        Tensor<float>.WarmPool(shape, 3);                    // adds one, not three
        Assert.Equal(3, BufferPool<float>.HeldArrays(n));
        t.Release();
        Tensor<float>.WarmPool(shape, 10 * BufferPool<float>.MaxPerLength);
        Assert.Equal(BufferPool<float>.MaxPerLength, BufferPool<float>.HeldArrays(n));
        for (var k = 0; k < BufferPool<float>.MaxPerLength; k++) _ = BufferPool<float>.Rent(n);
        Assert.Equal(0, BufferPool<float>.HeldArrays(n));
    }
}
