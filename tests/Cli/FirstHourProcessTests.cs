using Cm.Runtime.Images;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cm.Cli.Rendering;
using Xunit;

namespace Cm.Tests.Cli;

/// <summary>
/// Issue 13, as a new user meets <c>cm</c>: real processes for what is a process's behaviour (signals, exit codes,
/// stdout against stderr, files on disk, text on a non-terminal).
/// </summary>
public sealed class FirstHourProcessTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Ctrl+C (SIGINT) and SIGTERM during a run stop it at a step boundary: exit 130, nothing written, the
    /// trace left as an unsealed <c>.partial</c> that does not verify, and stderr says so.
    /// </summary>
    [Theory]
    [InlineData(CmRunning.SigInt)]
    [InlineData(CmRunning.SigTerm)]
    public void A_signal_stops_the_run_at_a_step_boundary_with_exit_130_and_no_output(int signal)
    {
        using var dir = new TempDir();
        using var cm = CmRunning.Start(dir.Path, "sample", "--batch", "64", "--steps", "40", "--progress", "plain",
            "--trace", "run.jsonl", "--out", "x.png");
        cm.WaitForErr("cm: step 1/40", Long);
        cm.Signal(signal);
        var r = cm.Wait(Long);
        Assert.True(r.Code == 130, r.ToString());
        Assert.Contains("cm: cancelled", r.Err);
        Assert.Contains("no samples were written", r.Err);
        Assert.Matches(@"run\.jsonl\.cm-\d+-\w+\.partial", r.Err);   // each run's own partial file (never a user's)
        Assert.False(File.Exists(dir.File("x.png")));
        Assert.False(File.Exists(dir.File("run.jsonl")));
        var partial = Assert.Single(Directory.GetFiles(dir.Path, "run.jsonl.cm-*.partial"));
        Assert.DoesNotContain("step 40/40", r.Err);
        Assert.Equal("", r.Out);
        var verify = CmProcess.Run(dir.Path, "verify", partial);
        Assert.True(verify.Code == 3, verify.ToString());
    }

    /// <summary>
    /// <c>--progress plain</c> prints one line per step with step i/n, elapsed time, rate and ETA on stderr; without
    /// it a non-terminal stderr gets only the one-line summary, and stdout only the path.
    /// </summary>
    [Fact]
    public void Plain_progress_prints_step_elapsed_rate_and_eta_per_step_on_stderr()
    {
        using var dir = new TempDir();
        var r = CmProcess.Run(dir.Path, "sample", "--steps", "4", "--progress", "plain");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal("samples.png\n", r.Out);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        for (var i = 1; i <= 4; i++)
            Assert.Matches(new Regex($"^cm: step {i}/4, [0-9.]+ s elapsed, [0-9.]+ (steps/s|s/step), ETA [0-9.]+ s$"), lines[i - 1]);
        Assert.StartsWith("16 samples 1x16x16 from analytic:glyphs, 4 steps (timesteps 30,20,10,0)", lines[4]);

        var quiet = CmProcess.Run(dir.Path, "sample", "--steps", "4");
        Assert.True(quiet.Code == 0, quiet.ToString());
        Assert.Equal("samples-2.png\n", quiet.Out);
        Assert.Single(quiet.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The summary of a 40-step run is one short line: the timesteps are abbreviated.</summary>
    [Fact]
    public void The_summary_of_a_long_run_is_short()
    {
        using var dir = new TempDir();
        var r = CmProcess.Run(dir.Path, "sample", "--steps", "40", "--batch", "2", "--class-labels", "3,4");
        Assert.True(r.Code == 0, r.ToString());
        var line = Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("40 steps (timesteps 39,38,37,…,0)", line);
        Assert.True(line.Length < 160, line);
    }

    /// <summary>Every parse error names the option, the value and what is allowed, in the documented spelling; exit 2.</summary>
    [Theory]
    [InlineData("--steps four: expected a whole number", "sample", "--steps", "four")]
    [InlineData("--format yaml: allowed values are png, npy", "sample", "--format", "yaml")]
    [InlineData("--format yaml: allowed values are table, json, csv", "schedule", "--format", "yaml")]
    [InlineData("--noise mt: allowed values are torch, philox", "sample", "--noise", "mt")]
    [InlineData("--progress fancy: allowed values are auto, bar, plain, none", "sample", "--progress", "fancy")]
    [InlineData("--seed 99999999999999999999: expected a whole number from 0 to 18446744073709551615", "sample", "--seed", "99999999999999999999")]
    [InlineData("--batch 1.5: expected a whole number", "sample", "--batch", "1.5")]
    [InlineData("--steps x: expected a whole number", "schedule", "--steps=x")]
    public void Parse_errors_name_option_value_and_allowed_values(string message, params string[] args)
    {
        using var dir = new TempDir();
        var r = CmProcess.Run(dir.Path, args);
        Assert.True(r.Code == 2, r.ToString());
        Assert.Contains("cm: usage error: " + message, r.Err);
        Assert.DoesNotContain("Nullable", r.Err);
        Assert.DoesNotContain("UInt64", r.Err);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    /// <summary>Bad values of options Cm checks itself say what was expected (exit 3).</summary>
    [Theory]
    [InlineData("--threads 0: give a whole number of threads from 1 to 1024", "sample", "--threads", "0")]
    [InlineData("--threads many: give a whole number of threads", "sample", "--threads", "many")]
    [InlineData("model_index.json is missing; is this a diffusers model folder?", "sample", "--model", "FOLDER")]
    [InlineData("no such file or folder; --model expects a diffusers model folder", "sample", "--model", "missing.pt", "--shape", "3,8,8")]
    [InlineData("add --num-classes N", "sample", "--model", "MODEL", "--shape", "3,8,8", "--class-labels", "random")]
    [InlineData("--out - writes one stream", "sample", "--out", "-", "--per-sample")]
    public void Bad_values_say_what_was_expected(string message, params string[] args)
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("model_folder"));
        File.Copy(RuntimeFixturesPath("tiny_unet.pt"), dir.File("tiny.pt"));
        var r = CmProcess.Run(dir.Path, [.. args.Select(a => a switch { "FOLDER" => "model_folder", "MODEL" => "tiny.pt", _ => a })]);
        Assert.True(r.Code == 3, r.ToString());
        Assert.Contains(message, r.Err);
        Assert.Equal(["tiny.pt"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    /// <summary>The thread count is a setting, not a change of results: 2 threads give the bytes of the default 1.</summary>
    [Fact]
    public void Threads_change_speed_not_bits()
    {
        using var dir = new TempDir();
        var one = CmProcess.Run(dir.Path, "sample", "--out", "one.png", "--batch", "4");
        var two = CmProcess.Run(dir.Path, "sample", "--out", "two.png", "--batch", "4", "--threads", "2");
        Assert.True(one.Code == 0 && two.Code == 0, one + "\n" + two);
        Assert.Contains(", 1 thread,", one.Err);
        Assert.Contains(", 2 threads,", two.Err);
        Assert.Equal(File.ReadAllBytes(dir.File("one.png")), File.ReadAllBytes(dir.File("two.png")));
    }

    /// <summary>
    /// The quick start can be repeated: the default name never collides (samples.png, samples-2.png, …) and
    /// never replaces a file, while an explicit --out is still protected unless --force.
    /// </summary>
    [Fact]
    public void The_default_output_never_collides_and_an_explicit_one_needs_force()
    {
        using var dir = new TempDir();
        var first = CmProcess.Run(dir.Path, "sample", "--batch", "2");
        var second = CmProcess.Run(dir.Path, "sample", "--batch", "2");
        Assert.True(first.Code == 0 && second.Code == 0, first + "\n" + second);
        Assert.Equal("samples.png\n", first.Out);
        Assert.Equal("samples-2.png\n", second.Out);
        Assert.Equal(File.ReadAllBytes(dir.File("samples.png")), File.ReadAllBytes(dir.File("samples-2.png")));

        dir.Write("mine.png", "precious");
        var refused = CmProcess.Run(dir.Path, "sample", "--batch", "2", "--out", "mine.png");
        Assert.True(refused.Code == 3, refused.ToString());
        Assert.Contains("--force", refused.Err);
        Assert.Equal("precious", File.ReadAllText(dir.File("mine.png")));
        var forced = CmProcess.Run(dir.Path, "sample", "--batch", "2", "--out", "mine.png", "--force");
        Assert.True(forced.Code == 0, forced.ToString());
        Assert.Equal(File.ReadAllBytes(dir.File("samples.png")), File.ReadAllBytes(dir.File("mine.png")));
    }

    /// <summary><c>cm --version</c> prints the version on stdout and exits 0.</summary>
    [Fact]
    public void Version_is_printed_on_stdout()
    {
        using var dir = new TempDir();
        var r = CmProcess.Run(dir.Path, "--version");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Matches(new Regex(@"^\d+\.\d+\.\d+\n$"), r.Out);
        Assert.Equal("", r.Err);
    }

    /// <summary><c>--out -</c> writes the .npy bytes to stdout (nothing else there); status goes to stderr.</summary>
    [Fact]
    public void Out_dash_writes_npy_to_stdout()
    {
        using var dir = new TempDir();
        var file = CmProcess.Run(dir.Path, "sample", "--batch", "2", "--format", "npy", "--out", "a.npy");
        var piped = CmRunning.RunBytes(dir.Path, "sample", "--batch", "2", "--format", "npy", "--out", "-");
        Assert.True(file.Code == 0 && piped.Code == 0, file + "\n" + piped.Err);
        Assert.Equal(File.ReadAllBytes(dir.File("a.npy")), piped.Out);
        Assert.Contains("2 samples 1x16x16", piped.Err);
        Assert.Equal(["a.npy"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    /// <summary>
    /// <c>--json</c>: one JSON document on stdout (schema cm-sample/1) whose hashes are those of the files written;
    /// verify, replay and diff have theirs (cm-verify/1, cm-replay/1, cm-diff/1) and diff exits 1 when traces differ.
    /// </summary>
    [Fact]
    public void Json_summaries_describe_the_files_and_diff_exits_1_when_different()
    {
        using var dir = new TempDir();
        var s = CmProcess.Run(dir.Path, "sample", "--batch", "2", "--steps", "3", "--json", "--trace", "a.jsonl", "--trace-tensors");
        Assert.True(s.Code == 0, s.ToString());
        var doc = JsonNode.Parse(s.Out)!;
        Assert.Equal("cm-sample/1", (string)doc["schema"]!);
        var output = doc["outputs"]![0]!;
        Assert.Equal("samples.png", (string)output["path"]!);
        Assert.Equal(Sha256(dir.File("samples.png")), (string)output["sha256"]!);
        Assert.Equal(Sha256(dir.File("a.jsonl")), (string)doc["trace"]!["sha256"]!);
        Assert.Equal(new[] { 26, 13, 0 }, doc["timesteps"]!.AsArray().Select(n => (int)n!));
        Assert.Equal(0UL, (ulong)doc["seed"]!);
        Assert.True((double)doc["timings"]!["total_s"]! > 0);

        var v = CmProcess.Run(dir.Path, "verify", "a.jsonl", "--json");
        Assert.True(v.Code == 0, v.ToString());
        Assert.True((bool)JsonNode.Parse(v.Out)!["ok"]!);
        var rp = CmProcess.Run(dir.Path, "replay", "a.jsonl", "--json");
        Assert.True(rp.Code == 0, rp.ToString());
        Assert.Equal(3, (int)JsonNode.Parse(rp.Out)!["steps"]!);

        Assert.Equal(0, CmProcess.Run(dir.Path, "sample", "--batch", "2", "--steps", "3", "--seed", "1", "--trace", "b.jsonl", "--trace-tensors", "-q").Code);
        var same = CmProcess.Run(dir.Path, "diff", "a.jsonl", "a.jsonl", "--json");
        Assert.True(same.Code == 0, same.ToString());
        Assert.True((bool)JsonNode.Parse(same.Out)!["identical"]!);
        var d = CmProcess.Run(dir.Path, "diff", "a.jsonl", "b.jsonl", "--json");
        Assert.True(d.Code == 1, d.ToString());
        var div = JsonNode.Parse(d.Out)!["divergence"]!;
        Assert.Equal("noise.seed", (string)div["field"]!);
        Assert.Equal(1, (int)div["line"]!);
        var missing = CmProcess.Run(dir.Path, "diff", "a.jsonl", "nope.jsonl");
        Assert.True(missing.Code == 3, missing.ToString());
    }

    /// <summary>
    /// <c>cm diff --ignore tensors</c> skips everything under <c>tensors</c>; a tensor that differs is summarised
    /// (index, both values, ulps, how many elements differ), never printed as base64.
    /// </summary>
    [Fact]
    public void Diff_summarises_tensors_and_ignores_whole_subtrees()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CmProcess.Run(dir.Path, "sample", "--batch", "2", "--steps", "2", "--trace", "a.jsonl", "--trace-tensors", "-q").Code);
        Assert.Equal(0, CmProcess.Run(dir.Path, "sample", "--batch", "2", "--steps", "2", "--trace", "b.jsonl", "-q").Code);
        Assert.Equal(0, CmProcess.Run(dir.Path, "sample", "--batch", "2", "--steps", "2", "--seed", "1", "--trace", "c.jsonl", "--trace-tensors", "-q").Code);
        var ignored = CmProcess.Run(dir.Path, "diff", "a.jsonl", "b.jsonl", "--ignore", "tensors");
        Assert.True(ignored.Code == 0, ignored.ToString());
        var absent = CmProcess.Run(dir.Path, "diff", "a.jsonl", "b.jsonl", "--ignore", "samples.png");
        Assert.True(absent.Code == 1, absent.ToString());
        Assert.Contains("tensors", absent.Out);
        Assert.True(absent.Out.Length < 300, absent.Out);
        var tensors = CmProcess.Run(dir.Path, "diff", "a.jsonl", "c.jsonl", "--ignore", "noise", "--ignore", "position", "--ignore", "hashes");
        Assert.True(tensors.Code == 1, tensors.ToString());
        Assert.Matches(new Regex(@"tensors\.sample\[0\]: a = \S+ \(0x[0-9a-f]{8}\), b = \S+ \(0x[0-9a-f]{8}\) \(\d+ ulp; \d+ of 512 elements differ, at most \d+ ulp\)"), tensors.Out);
    }

    /// <summary>--per-sample writes one PNG per sample at the sample's resolution; every PNG carries its provenance.</summary>
    [Fact]
    public void Per_sample_pngs_and_provenance_chunks()
    {
        using var dir = new TempDir();
        var r = CmProcess.Run(dir.Path, "sample", "--batch", "3", "--seed", "5", "--class-labels", "1,2,3", "--per-sample", "--out", "g.png");
        Assert.True(r.Code == 0, r.ToString());
        Assert.Equal("g-000.png\ng-001.png\ng-002.png\n", r.Out);
        var png = File.ReadAllBytes(dir.File("g-001.png"));
        Assert.Equal((16, 16), PngCheck.Size(png));
        var text = PngText.Read(png).ToDictionary(t => t.Keyword, t => t.Text);
        Assert.Equal("5", text["cm:seed"]);
        Assert.Equal("torch", text["cm:noise"]);
        Assert.Equal("1,2,3", text["cm:labels"]);
        Assert.StartsWith("analytic:glyphs(", text["cm:model"]);
        Assert.Contains("\"sigma_max\": 80.0", text["cm:config"]);
        Assert.Equal("sample 1 of 3, label 2", text["cm:image"]);
        Assert.Equal("22,0", text["cm:timesteps"]);

        var grid = CmProcess.Run(dir.Path, "sample", "--batch", "2", "--out", "grid.png");
        Assert.True(grid.Code == 0, grid.ToString());
        Assert.Equal("unconditional", PngText.Read(File.ReadAllBytes(dir.File("grid.png"))).Single(t => t.Keyword == "cm:labels").Text);
    }

    /// <summary>
    /// On a non-terminal (80 columns assumed by Spectre otherwise) help and tables are never broken inside a number
    /// or a name: the schedule table keeps c_skip whole and help keeps the scheduler's class name whole.
    /// </summary>
    [Fact]
    public void Help_and_tables_on_a_non_terminal_never_split_a_number_or_a_name()
    {
        using var dir = new TempDir();
        var table = CmProcess.Run(dir.Path, "schedule", "--steps", "40");
        Assert.True(table.Code == 0, table.ToString());
        Assert.Contains("3.90629E-05", table.Out);
        Assert.Equal(40, table.Out.Split('\n').Count(l => Regex.IsMatch(l, @"^\s*[│|]\s*\d+\s*[│|]")));
        foreach (var args in new[] { new[] { "--help" }, ["sample", "--help"], ["config", "--help"], ["schedule", "--help"] })
        {
            var help = CmProcess.Run(dir.Path, args);
            Assert.True(help.Code == 0, help.ToString());
            foreach (var line in help.Out.Split('\n'))
                Assert.DoesNotMatch(new Regex(@"[A-Za-z0-9]-$|\(CMStochasticIterativeSc$"), line.TrimEnd());
        }
        var config = CmProcess.Run(dir.Path, "config", "--help");
        Assert.Contains("(CMStochasticIterativeScheduler)", config.Out);
        var sample = CmProcess.Run(dir.Path, "sample", "--help");
        Assert.DoesNotMatch(new Regex(@"\b(Torch|Png|Npy|Philox|Auto)\b"), sample.Out);
        Assert.Contains("1.0000025", sample.Out);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    private static string RuntimeFixturesPath(string name) => Cm.Tests.Runtime.RuntimeFixtures.Model(name);
}
