using LanguageExt;
using LanguageExt.Common;

namespace Cm.Pure.Functional;

/// <summary>
/// Where a <see cref="Fin{A}"/> meets an imperative loop that works on spans or returns early (the tensor loops, the
/// step into caller buffers), a lambda cannot capture the spans; <see cref="Try{A}"/> reads the result by
/// <c>Match</c> into out values, so no caller tests <c>IsFail</c> and then casts.
/// </summary>
public static class FinEdge
{
    /// <summary>True with the value, or false with the error.</summary>
    public static bool Try<A>(this Fin<A> fin, out A value, out Error error)
    {
        var (ok, v, e) = fin.Match(
            Succ: a => (true, a, default(Error)),
            Fail: err => (false, default(A), err));
        value = v!;
        error = e!;
        return ok;
    }
}
