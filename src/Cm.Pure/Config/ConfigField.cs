namespace Cm.Pure.Config;

/// <summary>
/// One setting of <see cref="SchedulerConfig"/>: its diffusers key, what it accepts, and how to read and set
/// it, by the kind of JSON value it is (a closed union: integer, number, boolean). Readers and writers of
/// every config spelling switch on the kind; none names the settings one by one.
/// </summary>
public abstract record ConfigField(string Key, string Allowed)
{
    /// <summary>An integer setting.</summary>
    public sealed record Integer(string Key, string Allowed, Func<SchedulerConfig, int> Get, Func<SchedulerConfig, int, SchedulerConfig> With)
        : ConfigField(Key, Allowed);

    /// <summary>A float64 setting.</summary>
    public sealed record Number(string Key, string Allowed, Func<SchedulerConfig, double> Get, Func<SchedulerConfig, double, SchedulerConfig> With)
        : ConfigField(Key, Allowed);

    /// <summary>A boolean setting.</summary>
    public sealed record Boolean(string Key, string Allowed, Func<SchedulerConfig, bool> Get, Func<SchedulerConfig, bool, SchedulerConfig> With)
        : ConfigField(Key, Allowed);
}
