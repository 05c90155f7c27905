namespace Cm.Pure.Config;

/// <summary>
/// One reason a config is invalid: the diffusers key, the value found and what is allowed.
/// Validation returns all of them at once.
/// </summary>
/// <param name="Key">The diffusers key, e.g. <c>sigma_min</c>.</param>
/// <param name="Found">The offending value as text.</param>
/// <param name="Allowed">What the key accepts, e.g. <c>a finite number with 0 &lt; sigma_min &lt; sigma_max</c>.</param>
public sealed record ConfigProblem(string Key, string Found, string Allowed)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Key} = {Found}: must be {Allowed}";
}
