using System.ComponentModel;
using Spectre.Console.Cli;

namespace Cm.Cli.Verification;

/// <summary>The options of <c>cm verify</c> and <c>cm replay</c> that decide what a trace must prove: trusted keys, the attestation, the policy.</summary>
public class VerificationSettings : CommandSettings
{
    /// <summary>The trace.</summary>
    [CommandArgument(0, "<TRACE>")]
    [Description("A trace file (JSON Lines, docs/trace-format.md).")]
    public string Trace { get; init; } = "";

    /// <summary>Trusted public keys.</summary>
    [CommandOption("--trusted-key <PUB>")]
    [Description("An Ed25519 public key (PEM) trusted to sign runs (cm key generate writes KEY.pub). Repeatable. With any trusted key, the default policy requires level signed.")]
    public string[] TrustedKeys { get; init; } = [];

    /// <summary>A trust file.</summary>
    [CommandOption("--trust <FILE>")]
    [Description("A trust file: one or more PEM public keys, text between them ignored. With it, the default policy requires level signed.")]
    public string? Trust { get; init; }

    /// <summary>The attestation.</summary>
    [CommandOption("--attestation <FILE>")]
    [Description("The signed attestation (DSSE envelope) of the trace; default TRACE.intoto.json.")]
    public string? Attestation { get; init; }

    /// <summary>The policy.</summary>
    [CommandOption("--require <LEVELS>")]
    [Description("The levels the trace must reach, comma-separated from chain, recomputed, seeded, signed, replayed (chain is always required). Default: seeded, plus signed when trusted keys are given (cm replay: plus replayed). Anything weaker exits 3.")]
    public string? Require { get; init; }
}
