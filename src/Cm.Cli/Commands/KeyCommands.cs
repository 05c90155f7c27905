using System.ComponentModel;
using Cm.Cli.Hosting;
using Cm.Runtime.Attestations;
using Spectre.Console.Cli;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm key generate</c>.</summary>
public sealed class KeyGenerateSettings : CommandSettings
{
    /// <summary>The private key path.</summary>
    [CommandArgument(0, "[KEY]")]
    [Description("Where to write the private key (PKCS#8 PEM, mode 0600); the public key goes to KEY.pub. Default cm-signing.key.")]
    public string Key { get; init; } = "cm-signing.key";

    /// <summary>Overwrite.</summary>
    [CommandOption("--force")]
    [Description("Overwrite existing key files.")]
    public bool Force { get; init; }
}

/// <summary><c>cm key generate</c>: a new Ed25519 signing key and its public key, as openssl reads them.</summary>
public sealed class KeyGenerateCommand(CliConsoles io) : Command<KeyGenerateSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, KeyGenerateSettings s, CancellationToken cancellationToken) =>
        Ed25519Keys.WritePair(s.Key, s.Key + ".pub", s.Force).Match(
            Succ: k =>
            {
                io.Info(s.Key);
                io.Info(s.Key + ".pub");
                io.Info($"Ed25519 key id {k.Public.KeyId}: keep {s.Key} secret; give {s.Key}.pub to verifiers (cm verify --trusted-key {s.Key}.pub)");
                return ExitCodes.Ok;
            },
            Fail: e => Outcome.Report(io, e));
}
