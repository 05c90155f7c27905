using Cm.Tests.Traces;
using Xunit;

namespace Cm.Tests.Cli.Hardening;

/// <summary>Mutations of issue 15's campaign (tests/Properties/Hardening/MutationCampaignTests) through <c>cm</c> itself: documented exit codes only, no stack traces.</summary>
public sealed class CliMutationCampaignTests
{
    public const int Seed = 15;

    private static readonly int[] Documented = [0, 1, 2, 3, 130];

    [Fact]
    public void Mutations_through_cm_exit_with_documented_codes()
    {
        using var dir = new TempDir();
        var original = dir.File("a.jsonl");
        File.WriteAllBytes(original, CampaignTrace.Valid);
        var findings = new List<string>();
        foreach (var m in MutationCampaign.Generate(CampaignTrace.Valid, Seed + 1, 24))
        {
            if (m.Bytes.AsSpan().SequenceEqual(CampaignTrace.Valid)) continue;   // neutral: the same bytes
            var path = dir.File($"m{m.Index}.jsonl");
            File.WriteAllBytes(path, m.Bytes);
            foreach (var args in new[] { new[] { "verify", path }, ["diff", original, path], ["replay", path] })
            {
                var r = CliHarness.Run(args);
                if (!Documented.Contains(r.Code) || r.Err.Contains("unexpected failure", StringComparison.Ordinal))
                    findings.Add($"{m} {args[0]}: {r}");
                if (args[0] == "verify" && r.Code == 0) findings.Add($"{m}: cm verify passed");
            }
        }
        Assert.True(findings.Count == 0, string.Join("\n", findings.Take(10)));
    }

    [Fact]
    public void A_handful_of_mutations_through_the_real_process_exit_3()
    {
        using var dir = new TempDir();
        foreach (var m in MutationCampaign.Generate(CampaignTrace.Valid, Seed + 2, 3))
        {
            var path = dir.File($"m{m.Index}.jsonl");
            File.WriteAllBytes(path, m.Bytes);
            var r = CmProcess.Run(dir.Path, "verify", path);
            Assert.True(r.Code == 3, $"{m}: {r}");
            Assert.DoesNotContain("   at ", r.Err);
        }
    }
}
