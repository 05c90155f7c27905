using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cm.Cli.Options;

/// <summary>A config plus the schedule to sample with: <c>--steps N</c> or <c>--timesteps a,b,…</c> (default 22,0).</summary>
public class ScheduleSettings : ConfigSettings
{
    /// <summary>The default request: the two-step schedule of the consistency-model papers' ImageNet 64 samples.</summary>
    public const string DefaultTimesteps = "22,0";

    /// <summary>Number of evenly spaced steps.</summary>
    [CommandOption("-n|--steps <N>")]
    [Description("Number of evenly spaced steps, 1..num_train_timesteps. Excludes --timesteps.")]
    public int? Steps { get; init; }

    /// <summary>Explicit training-grid indices.</summary>
    [CommandOption("-t|--timesteps <LIST>")]
    [Description("Comma-separated training-grid indices, strictly descending, in [[0, num_train_timesteps). Default 22,0 when neither --steps nor --timesteps is given.")]
    public string? Timesteps { get; init; }

    /// <summary>The float64 log/power the schedule is computed with (<see cref="ScheduleMathOption"/>).</summary>
    [CommandOption("--schedule-math <NAME>")]
    [Description("Schedule arithmetic: glibc (default; numpy without AVX-512) or numpy-avx512 (numpy 1.24-1.26 on an AVX-512 CPU). See docs/trace-format.md.")]
    public string? ScheduleMath { get; init; }
}
