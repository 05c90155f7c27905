using LanguageExt;
using LanguageExt.Common;

namespace Cm.Cli.Hosting;

/// <summary>Turns a command's result into an exit code, printing the error (what was wrong, how to fix it) to stderr.</summary>
public static class Outcome
{
    /// <summary>0 on success; otherwise the error on stderr and its exit code.</summary>
    public static int Exit<A>(CliConsoles io, Fin<A> result) =>
        result.Match(Succ: _ => ExitCodes.Ok, Fail: e => Report(io, e));

    /// <summary>Prints <paramref name="e"/> as <c>cm: error: …</c> and returns its exit code.</summary>
    public static int Report(CliConsoles io, Error e)
    {
        io.Error("cm: error: " + e.Message);
        return ExitCodes.For(e);
    }
}
