namespace Cm.Runtime.Configs;

/// <summary>
/// Something in a config file that is not wrong but deserves a word (an unknown key). Returned to the
/// caller, never logged here, so the shell decides where it goes.
/// </summary>
public sealed record ConfigWarning(string Key, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Key}: {Message}";
}
