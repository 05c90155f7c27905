using System.ComponentModel;
using Cm.Cli.Hosting;
using Cm.Runtime.Attestations;
using Cm.Runtime.Sampling;
using LanguageExt;
using Spectre.Console.Cli;
using static LanguageExt.Prelude;

namespace Cm.Cli.Commands;

/// <summary>Options of <c>cm attest</c>.</summary>
public sealed class AttestSettings : CommandSettings
{
    /// <summary>The trace.</summary>
    [CommandArgument(0, "<TRACE>")]
    [Description("An existing trace (written by cm or by docs/python/record_diffusers.py).")]
    public string Trace { get; init; } = "";

    /// <summary>The signing key.</summary>
    [CommandOption("-k|--key <KEY>")]
    [Description("The Ed25519 private key (PKCS#8 PEM: cm key generate, or openssl genpkey -algorithm ed25519).")]
    public string? Key { get; init; }

    /// <summary>Outputs to name as subjects.</summary>
    [CommandOption("--output <FILE>")]
    [Description("An output file of the run to name in the attestation by SHA-256 (e.g. the samples). Repeatable.")]
    public string[] Outputs { get; init; } = [];

    /// <summary>Attestation path.</summary>
    [CommandOption("-o|--out <FILE>")]
    [Description("Where to write the attestation; default TRACE.intoto.json.")]
    public string? Out { get; init; }

    /// <summary>Overwrite.</summary>
    [CommandOption("--force")]
    [Description("Overwrite an existing attestation.")]
    public bool Force { get; init; }
}

/// <summary>
/// <c>cm attest</c>: verify a trace and sign an in-toto statement about it (and its outputs) in a DSSE
/// envelope. A trace that fails verification is never signed.
/// </summary>
public sealed class AttestCommand(CliConsoles io) : Command<AttestSettings>
{
    /// <inheritdoc/>
    public override int Execute(CommandContext context, AttestSettings s, CancellationToken cancellationToken)
    {
        if (s.Key is null) return Outcome.Report(io, new Sampling.UsageProblem("cm attest needs --key KEY (a private key from 'cm key generate')"));
        var path = s.Out ?? RunAttestation.PathFor(s.Trace);
        return Ed25519Keys.LoadPrivate(s.Key)
            .Bind(key => RunAttestation.Sign(s.Trace, toSeq(s.Outputs), key, path, s.Force, NoiseSources.Regenerate)
                .Map(envelope => (key, envelope)))
            .Match(
                Succ: r =>
                {
                    io.Info(path);
                    io.Info($"signed by key {r.key.Public.KeyId} ({1 + s.Outputs.Length} subjects)");
                    return ExitCodes.Ok;
                },
                Fail: e => Outcome.Report(io, e));
    }
}
