using Cm.Pure.Errors;
using LanguageExt.Common;

namespace Cm.Cli.Hosting;

/// <summary>The exit codes of <c>cm</c>, stable so scripts can branch on them (docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A failure while running (an output that could not be written, an unexpected fault).</summary>
    public const int Failure = 1;

    /// <summary>Usage error: unknown command or option, missing or malformed argument.</summary>
    public const int Usage = 2;

    /// <summary>Invalid input: bad values, an invalid config or schedule, a missing or bad file, an existing output.</summary>
    public const int InvalidInput = 3;

    /// <summary><c>cm diff</c>: the two traces differ (as diff(1) and cmp(1) report it; 0 when they agree).</summary>
    public const int Different = 1;

    /// <summary>Exit code of a run stopped by Ctrl+C or SIGTERM at a step boundary (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>The exit code of an error, from its kind alone (the one place kinds become exit codes).</summary>
    public static int For(Error e) => CmError.KindOf(e) switch
    {
        ErrorKind.InvalidInput => InvalidInput,
        ErrorKind.Usage => Usage,
        ErrorKind.Cancelled => Cancelled,
        _ => Failure,
    };

    /// <summary>The help text's summary of the codes.</summary>
    public const string Summary =
        "0 ok; 1 failure while running; 2 usage error (unknown option, bad syntax); " +
        "3 invalid input (bad values, invalid config or schedule, bad or missing files, existing output without --force)";
}
