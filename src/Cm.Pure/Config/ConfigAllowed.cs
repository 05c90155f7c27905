namespace Cm.Pure.Config;

/// <summary>
/// What each setting accepts, in the words every message uses: a config file's problems, a command-line
/// override's problems and the options' help all quote these (constants, so that help attributes can too).
/// </summary>
public static class ConfigAllowed
{
    /// <summary>num_train_timesteps.</summary>
    public const string NumTrainTimesteps = "an integer >= 2";
    /// <summary>sigma_min.</summary>
    public const string SigmaMin = "a finite number > 0";
    /// <summary>sigma_max: also greater than sigma_min (<see cref="ConfigValidation"/> names that relation with both values).</summary>
    public const string SigmaMax = "a finite number > sigma_min";
    /// <summary>sigma_data.</summary>
    public const string SigmaData = "a finite number > 0";
    /// <summary>s_noise.</summary>
    public const string SNoise = "a finite number >= 0";
    /// <summary>rho.</summary>
    public const string Rho = "a finite number > 0";
    /// <summary>clip_denoised.</summary>
    public const string ClipDenoised = "true or false";
}
