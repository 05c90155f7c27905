using Cm.Cli.Commands;
using Spectre.Console.Cli;

namespace Cm.Cli.Hosting;

/// <summary>
/// The command tree of <c>cm</c> and the mapping of every way it can end to an exit code. Commands
/// return their own codes; Spectre's parse errors become 2; anything unexpected becomes 1.
/// </summary>
public static class CliApp
{
    /// <summary>Runs <c>cm</c> with <paramref name="args"/> on the given consoles and returns the exit code.</summary>
    public static int Run(string[] args, CliConsoles io)
    {
        io = io with { Arguments = args };
        if (MissingOptionValues.Find(args, MissingOptionValues.ValueOptions) is { } option)
        {
            io.Error($"cm: usage error: option {option} needs a value. Run 'cm --help' (or 'cm COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }
        if (IntegerOptions.Find(args, IntegerOptions.Names) is { } bad)
        {
            io.Error($"cm: usage error: option {bad.Option} takes a decimal integer such as 16, not '{Shown.Clip(bad.Value)}'. Run 'cm --help' (or 'cm COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }
        var app = new CommandApp();
        app.Configure(c => Configure(c, io));
        try
        {
            return app.Run(args);
        }
        catch (CommandAppException e)
        {
            io.Error("cm: usage error: " + e.Message.TrimEnd('.') + ". Run 'cm --help' (or 'cm COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            io.Error("cm: unexpected failure: " + e.Message);
            return ExitCodes.Failure;
        }
    }

    private static void Configure(IConfigurator c, CliConsoles io)
    {
        c.SetApplicationName("cm");
        c.Settings.Console = io.Out;
        c.Settings.PropagateExceptions = true;
        c.Settings.StrictParsing = true;
        c.Settings.Registrar.RegisterInstance<CliConsoles>(io);
        c.SetHelpProvider(new ExitCodeHelpProvider(c.Settings));
        c.ValidateExamples();

        c.AddCommand<SampleCommand>("sample")
            .WithDescription("Sample images with a consistency model (default: the embedded exact glyphs model, 16 samples, timesteps 22,0, seed 0) and write a labelled PNG grid.")
            .WithExample("sample")
            .WithExample("sample", "--seed", "7", "--steps", "4", "--out", "four_steps.png")
            .WithExample("sample", "--model", "analytic:glyphs", "--class-labels", "0,1,2,3,4,5,6,7,8,9", "--batch", "10")
            .WithExample("sample", "--noise", "philox", "--batch", "64", "--format", "npy", "--out", "samples.npy")
            .WithExample("sample", "--trace", "run.jsonl", "--trace-tensors")
            .WithExample("sample", "--model", "cd_imagenet64_l2.pt", "--shape", "3,64,64", "--class-labels", "random", "--device", "cuda");

        c.AddCommand<VerifyCommand>("verify")
            .WithDescription("Verify an audit trace: hash chain, schedule and scalars from the header, noise from the seed, and with inline tensors every step recomputed bit for bit. Exit 3 at the first failure.")
            .WithExample("verify", "run.jsonl");
        c.AddCommand<ReplayCommand>("replay")
            .WithDescription("Run a traced sampling run again with its model and compare every step with the trace.")
            .WithExample("replay", "run.jsonl")
            .WithExample("replay", "run.jsonl", "--model", "model.pt");
        c.AddCommand<DiffCommand>("diff")
            .WithDescription("Show the first divergence of two traces, by field.")
            .WithExample("diff", "a.jsonl", "b.jsonl")
            .WithExample("diff", "cpu.jsonl", "cuda.jsonl", "--ignore", "device");

        c.AddCommand<ScheduleCommand>("schedule")
            .WithDescription("Show the sampling schedule of a config: per step the timestep, sigma, sigma_next, c_skip, c_out and noise scale.")
            .WithExample("schedule")
            .WithExample("schedule", "--steps", "4", "--format", "json")
            .WithExample("schedule", "--config", "scheduler_config.json", "--timesteps", "39,20,0", "--format", "csv")
            .WithExample("schedule", "--sigma-max", "50", "--rho", "5", "--steps", "10", "--plot", "schedule.png");

        c.AddBranch("config", b =>
        {
            b.SetDescription("Create, show and check diffusers scheduler_config.json files (CMStochasticIterativeScheduler).");
            b.AddCommand<ConfigInitCommand>("init")
                .WithDescription("Write a config file with diffusers' defaults (and any overrides).")
                .WithExample("config", "init")
                .WithExample("config", "init", "--out", "my_config.json", "--sigma-max", "50", "--force");
            b.AddCommand<ConfigShowCommand>("show")
                .WithDescription("Print the effective config (file, then overrides) as diffusers' JSON.")
                .WithExample("config", "show")
                .WithExample("config", "show", "--config", "scheduler_config.json", "--clip-denoised", "false");
            b.AddCommand<ConfigCheckCommand>("check")
                .WithDescription("Validate a config file and list every problem.")
                .WithExample("config", "check", "scheduler_config.json");
        });
    }
}
