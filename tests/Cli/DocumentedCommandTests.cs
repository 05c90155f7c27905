using System.Text.RegularExpressions;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>
/// Every <c>cm</c> command shown in README.md and in the <c>EXAMPLES</c> of <c>--help</c> runs as written, as a
/// real process. README's commands run twice in a row in the same folder (the tour read top to bottom, then
/// again), so the quick start can be repeated. The only stand-in: <c>cd_imagenet64_l2.pt</c> is the committed
/// TinyUNet fixture with 1000 classes (<c>tests/fixtures/models/tiny_unet_1000.pt</c>), which takes any 3×H×W.
/// </summary>
public sealed class DocumentedCommandTests
{
    /// <summary>The repository root (the folder holding Cm.sln).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cm.sln not found above the test binaries");
    }

    /// <summary>A documented command: its words after <c>cm</c> and the exit code the document promises (0 unless <c># exit N</c>).</summary>
    public sealed record Documented(string[] Args, int Code, string Text);

    /// <summary>The <c>cm …</c> lines of README.md's <c>sh</c> blocks, in order.</summary>
    public static IReadOnlyList<Documented> ReadmeCommands()
    {
        var readme = File.ReadAllText(Path.Combine(RepoRoot(), "README.md"));
        var commands = new List<Documented>();
        foreach (Match block in Regex.Matches(readme, "```sh\\n(?<body>.*?)```", RegexOptions.Singleline))
            foreach (var line in block.Groups["body"].Value.Split('\n'))
                if (line.StartsWith("cm ", StringComparison.Ordinal)) commands.Add(Parse(line));
        return commands;
    }

    private static Documented Parse(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        var command = (hash < 0 ? line : line[..hash]).Trim();
        var comment = hash < 0 ? "" : line[hash..];
        var exit = Regex.Match(comment, @"exit (\d+)");
        return new Documented([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)], exit.Success ? int.Parse(exit.Groups[1].Value) : 0, command);
    }

    private static void Prepare(TempDir dir)
    {
        File.Copy(Cm.Tests.Runtime.RuntimeFixtures.Model("tiny_unet_1000.pt"), dir.File("cd_imagenet64_l2.pt"));
        File.Copy(Cm.Tests.Runtime.RuntimeFixtures.Model("tiny_unet.pt"), dir.File("unet.pt"));
    }

    [Fact]
    public void Readme_commands_all_run_twice_in_a_row()
    {
        var commands = ReadmeCommands();
        Assert.True(commands.Count >= 8, $"only {commands.Count} cm commands found in README.md");
        using var dir = new TempDir();
        Prepare(dir);
        for (var round = 1; round <= 2; round++)
            foreach (var c in commands)
            {
                var r = CmProcess.Run(dir.Path, c.Args);
                Assert.True(r.Code == c.Code, $"round {round}: {c.Text} (README promises exit {c.Code})\n{r}");
            }
    }

    /// <summary>The EXAMPLES section of <c>cm PATH --help</c>, as argument lists.</summary>
    private static IEnumerable<string[]> HelpExamples(TempDir dir, params string[] path)
    {
        var help = CmProcess.Run(dir.Path, [.. path, "--help"]);
        Assert.True(help.Code == 0, help.ToString());
        var section = Regex.Match(help.Out, @"EXAMPLES:\n(?<body>(?:    cm .*\n)+)");
        Assert.True(section.Success, $"no EXAMPLES in cm {string.Join(' ', path)} --help:\n{help.Out}");
        return section.Groups["body"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray());
    }

    [Fact]
    public void Help_examples_all_run()
    {
        using var dir = new TempDir();
        Prepare(dir);
        // What the examples refer to: traces a and b of two seeds (they differ: diff exits 1), a CPU run under
        // the names cpu/cuda (this machine has no GPU; the example compares them ignoring the device), and a
        // TorchScript run for replay --model.
        foreach (var setup in new[]
        {
            new[] { "sample", "--batch", "2", "--trace", "a.jsonl", "--trace-tensors", "--out", "a.png", "-q" },
            ["sample", "--batch", "2", "--seed", "1", "--trace", "b.jsonl", "--trace-tensors", "--out", "b.png", "-q"],
            ["sample", "--batch", "2", "--trace", "cpu.jsonl", "--device", "cpu", "--out", "cpu.png", "-q"],
            ["sample", "--model", "unet.pt", "--shape", "3,8,8", "--batch", "2", "--trace", "unet_run.jsonl", "--trace-tensors", "--out", "unet.png", "-q"],
            ["key", "generate"],   // cm-signing.key and cm-signing.key.pub, for the signing example
        })
            Assert.Equal(0, CmProcess.Run(dir.Path, setup).Code);
        File.Copy(dir.File("cpu.jsonl"), dir.File("cuda.jsonl"));

        var paths = new[] { new[] { "config", "init" }, ["config", "show"], ["config", "check"], ["schedule"], ["sample"], ["verify"], ["replay"], ["diff"] };
        var ran = 0;
        foreach (var path in paths)
            foreach (var example in HelpExamples(dir, path))
            {
                var expected = example is ["diff", "a.jsonl", "b.jsonl", ..] ? 1 : 0;
                var r = CmProcess.Run(dir.Path, example);
                Assert.True(r.Code == expected, $"cm {string.Join(' ', example)} (expected exit {expected})\n{r}");
                ran++;
            }
        Assert.True(ran >= 15, $"only {ran} examples ran");
    }
}
