namespace Cm.Cli.Hosting;

/// <summary>User input as it may appear in a message: at most <see cref="MaxChars"/> characters, then an ellipsis.</summary>
public static partial class Shown
{
    /// <summary>The most characters of one piece of user input a message repeats.</summary>
    public const int MaxChars = 200;

    /// <summary><paramref name="text"/>, clipped to <see cref="MaxChars"/> characters with "… (N characters)".</summary>
    public static string Clip(string text) =>
        text.Length <= MaxChars ? text : text[..(MaxChars - 40)] + $"… ({text.Length} characters)";

    /// <summary>
    /// <paramref name="message"/> with every long argument in it clipped, so an error never echoes a 100 KB
    /// argument back (and every line at most a few times <see cref="MaxChars"/> long).
    /// </summary>
    public static string Redact(string message, IReadOnlyList<string> args)
    {
        foreach (var a in args)
            if (a.Length > MaxChars && message.Contains(a, StringComparison.Ordinal))
                message = message.Replace(a, Clip(a), StringComparison.Ordinal);
        // Whatever else echoes input (a parser quoting part of an argument, a value read from a file): no run of
        // more than MaxChars characters without a space survives.
        message = LongRun().Replace(message, m => Clip(m.Value));
        return message.Length <= 8 * MaxChars ? message : message[..(8 * MaxChars)] + $"… ({message.Length} characters in all)";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\S{201,}")]
    private static partial System.Text.RegularExpressions.Regex LongRun();
}
