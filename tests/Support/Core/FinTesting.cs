using LanguageExt;

namespace Cm.Tests;

/// <summary>Reads a <see cref="Fin{A}"/> in a test that expects success: the value, or a failure naming the error.</summary>
public static class FinTesting
{
    /// <summary>The success value; fails the test with the error's message otherwise.</summary>
    public static T Ok<T>(this Fin<T> fin) =>
        fin.Match(x => x, e => throw new Xunit.Sdk.XunitException("expected success, got " + e.Message));
}
