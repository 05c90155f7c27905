using System.Collections.Immutable;

namespace Cm.Pure.Config;

/// <summary>The names diffusers gives the keys of <c>CMStochasticIterativeScheduler</c>'s config file.</summary>
public static class ConfigKeys
{
    /// <summary>The class name diffusers stores in <c>_class_name</c>.</summary>
    public const string ClassNameValue = "CMStochasticIterativeScheduler";

    /// <summary>The metadata key naming the scheduler class.</summary>
    public const string ClassName = "_class_name";

    /// <summary>The metadata key naming the diffusers version that wrote the file.</summary>
    public const string DiffusersVersion = "_diffusers_version";

    /// <summary>N.</summary>
    public const string NumTrainTimesteps = "num_train_timesteps";
    /// <summary>σ_min.</summary>
    public const string SigmaMin = "sigma_min";
    /// <summary>σ_max.</summary>
    public const string SigmaMax = "sigma_max";
    /// <summary>σ_data.</summary>
    public const string SigmaData = "sigma_data";
    /// <summary>s_noise.</summary>
    public const string SNoise = "s_noise";
    /// <summary>ρ.</summary>
    public const string Rho = "rho";
    /// <summary>clip_denoised.</summary>
    public const string ClipDenoised = "clip_denoised";

    /// <summary>The seven settings in the order of <see cref="Cm.Pure.Config.SchedulerConfig"/> (<see cref="ConfigFields"/>' rows).</summary>
    public static ImmutableArray<string> Settings { get; } = [.. ConfigFields.All.Select(f => f.Key)];
}
