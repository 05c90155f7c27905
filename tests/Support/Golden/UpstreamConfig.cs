namespace Cm.Tests.Golden;

/// <summary>A real diffusers scheduler config file, shared by the config-file and CLI tests.</summary>
public static class UpstreamConfig
{
    /// <summary>The scheduler_config.json of openai/diffusers-cd_imagenet64_l2, as diffusers wrote it.</summary>
    public const string Text = """
        {
          "_class_name": "CMStochasticIterativeScheduler",
          "_diffusers_version": "0.17.0.dev0",
          "clip_denoised": true,
          "num_train_timesteps": 40,
          "rho": 7.0,
          "s_noise": 1.0,
          "sigma_data": 0.5,
          "sigma_max": 80.0,
          "sigma_min": 0.002
        }

        """;
}
