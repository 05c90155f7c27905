using Cm.Cli.Commands;
using Cm.Cli.Parsing;
using Spectre.Console.Cli;

namespace Cm.Cli.Hosting;

/// <summary>
/// The command tree of <c>cm</c> and the mapping of every way it can end to an exit code. Commands
/// return their own codes; Spectre's parse errors become 2; anything unexpected becomes 1.
/// </summary>
public static class CliApp
{
    /// <summary>Cm's version (<c>cm --version</c>), the assembly's informational version without build metadata.</summary>
    public static string Version { get; } =
        (typeof(CliApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];

    /// <summary>The settings type of each command path, for <see cref="OptionValues"/> (a command missing here is parsed by Spectre alone).</summary>
    private static readonly Dictionary<string, Type> SettingsOf = new(StringComparer.Ordinal)
    {
        ["sample"] = typeof(SampleSettings),
        ["schedule"] = typeof(Cm.Cli.Commands.ScheduleCommandSettings),
        ["verify"] = typeof(VerifySettings),
        ["replay"] = typeof(ReplaySettings),
        ["diff"] = typeof(DiffSettings),
    };

    /// <summary>Runs <c>cm</c> with <paramref name="args"/> on the given consoles and returns the exit code.</summary>
    public static int Run(string[] args, CliConsoles io) => Run(args, io, CancellationToken.None);

    /// <summary>
    /// Runs <c>cm</c>; <paramref name="cancellation"/> is signalled by Ctrl+C or SIGTERM (Program.cs) and stops a
    /// sampling run at the next step boundary (exit 130).
    /// </summary>
    public static int Run(string[] args, CliConsoles io, CancellationToken cancellation)
    {
        io = io with { Arguments = args };
        if (args is ["--version"])
        {
            io.Info(Version);
            return ExitCodes.Ok;
        }
        if (MissingOptionValues.Find(args, MissingOptionValues.ValueOptions) is { } option)
        {
            io.Error($"cm: usage error: option {option} needs a value. Run 'cm --help' (or 'cm COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }
        if (args.Length > 0 && SettingsOf.TryGetValue(args[0], out var settings)
            && OptionValues.FindProblem(args.Skip(1).ToArray(), settings) is { } problem)
        {
            io.Error($"cm: usage error: {problem}. Run 'cm {args[0]} --help' for usage.");
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
            return app.Run(DashValues.Join(args, MissingOptionValues.ValueOptions), cancellation);
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
        c.SetApplicationVersion(Version);
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
            .WithExample("sample", "--noise", "philox", "--samples", "64", "--shard", "2/4", "--shard-dir", "shards")
            .WithExample("sample", "--trace", "signed.jsonl", "--sign", "cm-signing.key")
            .WithExample("sample", "--model", "cd_imagenet64_l2.pt", "--shape", "3,64,64", "--num-classes", "1000", "--class-labels", "random")
            .WithExample("sample", "--steps", "40", "--progress", "plain", "--json", "--out", "run.png", "--force");

        c.AddCommand<MergeCommand>("merge")
            .WithDescription("Merge the shards of a cm sample --samples N --shard run into one .npy, byte for byte the single-process run; checks run identity, coverage of [[0, N) and every output's SHA-256 (exit 3 naming what is wrong).")
            .WithExample("merge", "shards/manifest-*.json", "--out", "all.npy")
            .WithExample("merge", "shards/manifest-*.json", "--out", "all.npy", "--png", "grid.png", "--verify");

        c.AddBranch("edit", b =>
        {
            b.SetDescription("Zero-shot editing (consistency models paper, Algorithm 4): inpaint, colorize or super-resolve a PNG with any model; writes reference, processed reference and result side by side.");
            b.AddCommand<InpaintCommand>("inpaint")
                .WithDescription("Generate the region given by --mask (black) or --rect and keep the rest of the reference.")
                .WithExample("edit", "inpaint", "--image", "glyph.png", "--rect", "0,8,16,8", "--out", "inpainted.png")
                .WithExample("edit", "inpaint", "--image", "glyph.png", "--rect", "0,8,16,8", "--trace", "edit.jsonl", "--trace-tensors");
            b.AddCommand<ColorizeCommand>("colorize")
                .WithDescription("Keep the reference's luminance and generate the colour (a gray reference is fine).")
                .WithExample("edit", "colorize", "--image", "gray.png", "--timesteps", "39,30,20,10,0");
            b.AddCommand<SuperResCommand>("superres")
                .WithDescription("Keep the means of the reference's KxK patches and generate the detail (square images).")
                .WithExample("edit", "superres", "--image", "blurred.png", "--patch", "2");
        });

        c.AddCommand<VerifyCommand>("verify")
            .WithDescription("Verify an audit trace and state the levels reached: chain (hash chain, scalars from the header), recomputed (every step from inline tensors), seeded (noise from the seed), signed (a trusted key signed it). Exit 3 at the first failure or when the policy (--require; default seeded, plus signed with trusted keys) is not met.")
            .WithExample("verify", "run.jsonl")
            .WithExample("verify", "signed.jsonl", "--trusted-key", "cm-signing.key.pub")
            .WithExample("verify", "run.jsonl", "--require", "chain,recomputed");
        c.AddCommand<ReplayCommand>("replay")
            .WithDescription("Run a traced sampling run again with its model and compare every step with the trace.")
            .WithExample("replay", "run.jsonl")
            .WithExample("replay", "unet_run.jsonl", "--model", "unet.pt", "--json");

        c.AddCommand<AttestCommand>("attest")
            .WithDescription("Verify a trace and sign an attestation of it (in-toto Statement v1 in a DSSE envelope, Ed25519): TRACE.intoto.json.")
            .WithExample("attest", "run.jsonl", "--key", "cm-signing.key")
            .WithExample("attest", "run.jsonl", "--key", "cm-signing.key", "--output", "samples.png");
        c.AddBranch("key", b =>
        {
            b.SetDescription("Signing keys for run attestations (Ed25519, PEM).");
            b.AddCommand<KeyGenerateCommand>("generate")
                .WithDescription("Write a new Ed25519 private key (PKCS#8 PEM, mode 0600) and its public key (KEY.pub).")
                .WithExample("key", "generate")
                .WithExample("key", "generate", "release.key");
        });
        c.AddCommand<DiffCommand>("diff")
            .WithDescription("Show the first divergence of two traces, by field. Exit 0 when they agree, 1 when they differ (as diff(1)), 3 when a trace cannot be read.")
            .WithExample("diff", "a.jsonl", "b.jsonl")
            .WithExample("diff", "a.jsonl", "b.jsonl", "--ignore", "tensors", "--json")
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
