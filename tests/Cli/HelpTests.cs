using Xunit;

namespace Cm.Tests.Cli;

/// <summary>Every command's generated help renders (Spectre markup in descriptions must be escaped) and lists the exit codes.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("sample", "--help")]
    [InlineData("schedule", "--help")]
    [InlineData("config", "--help")]
    [InlineData("config", "init", "--help")]
    [InlineData("config", "show", "--help")]
    [InlineData("config", "check", "--help")]
    [InlineData("verify", "--help")]
    [InlineData("replay", "--help")]
    [InlineData("diff", "--help")]
    public void Help_renders_with_examples_and_exit_codes(params string[] args)
    {
        var r = CliHarness.Run(args);
        Assert.True(r.Code == 0, r.ToString());
        Assert.Contains("EXIT CODES", r.Out);
        Assert.Contains("invalid input", r.Out);
    }
}
