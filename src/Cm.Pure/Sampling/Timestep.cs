using System.Diagnostics.Contracts;
using System.Globalization;
using Cm.Pure.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Pure.Sampling;

/// <summary>
/// A scheduled timestep t = 250·ln σ, a float64. Integers are rejected, as diffusers rejects them:
/// passing an <c>int</c> or <c>long</c> where a <see cref="Timestep"/> is expected is a compile-time
/// error, and <see cref="FromObject"/> rejects boxed integers at run time.
/// </summary>
public readonly record struct Timestep(double Value)
{
    /// <summary>A float64 timestep.</summary>
    public static implicit operator Timestep(double value) => new(value);

    /// <summary>Rejected: an integer is an index, not a timestep.</summary>
    [Obsolete("Integer timesteps are rejected: pass one of Schedule.Timesteps (a double), not an index.", error: true)]
    public static implicit operator Timestep(int value) => throw new NotSupportedException();

    /// <summary>Rejected: an integer is an index, not a timestep.</summary>
    [Obsolete("Integer timesteps are rejected: pass one of Schedule.Timesteps (a double), not an index.", error: true)]
    public static implicit operator Timestep(long value) => throw new NotSupportedException();

    /// <summary>
    /// A timestep from a dynamically typed value (a parsed file, a scripting host): doubles are taken
    /// as they are, floats are widened (and so rarely match a scheduled value, as in diffusers), and
    /// every integer or boolean type is an <see cref="IntegerTimestep"/> error.
    /// </summary>
    [Pure]
    public static Fin<Timestep> FromObject(object value) => value switch
    {
        double d => FinSucc(new Timestep(d)),
        float f => FinSucc(new Timestep(f)),
        Half h => FinSucc(new Timestep((double)h)),
        bool or byte or sbyte or short or ushort or int or uint or long or ulong or nint or nuint or Int128 or UInt128
            => FinFail<Timestep>(new IntegerTimestep(value.GetType().Name)),
        _ => FinFail<Timestep>(new IntegerTimestep(value.GetType().Name + " (not a number)")),
    };

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
