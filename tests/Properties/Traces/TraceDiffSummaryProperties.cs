using Cm.Pure.Traces;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace Cm.Tests.Traces;

/// <summary>
/// <c>cm diff</c>'s tensor summary and ignore rule (issue 13): the ulp distance counts the representable float32
/// values between two numbers, and an ignored path hides everything below it and nothing beside it.
/// </summary>
public sealed class TraceDiffSummaryProperties
{
    [Theory]
    [InlineData(1f, 1f, 0)]
    [InlineData(0f, -0f, 0)]
    [InlineData(float.Epsilon, -float.Epsilon, 2)]
    [InlineData(1f, 1.00000012f, 1)]          // the next float32 after 1 is 1 + 2^-23
    [InlineData(-1f, -1.00000024f, 2)]
    [InlineData(0f, float.Epsilon, 1)]
    public void Ulps_of_known_pairs(float a, float b, long ulps) => Assert.Equal(ulps, TraceDiff.Ulps(a, b));

    [Property(MaxTest = 500)]
    public bool Ulps_count_the_steps_of_BitIncrement(NormalFloat start, byte stepsByte)
    {
        var a = (float)start.Get;
        if (!float.IsFinite(a)) return true;
        var b = a;
        var steps = stepsByte % 50;
        for (var i = 0; i < steps; i++) b = MathF.BitIncrement(b);
        return !float.IsFinite(b) || TraceDiff.Ulps(a, b) == steps;   // −0 and +0 count once: −ε → −0 → +ε is 2
    }

    [Theory]
    [InlineData("tensors", "tensors.sample", true)]
    [InlineData("tensors", "tensors", true)]
    [InlineData("tensors", "tensors_extra", false)]
    [InlineData("config", "config.sigma_max", true)]
    [InlineData("config.sigma_max", "config.sigma_min", false)]
    [InlineData("hashes", "hashes.noise", true)]
    [InlineData("shape", "shape[0]", true)]
    [InlineData("device", "noise.seed", false)]
    public void An_ignored_path_hides_its_subtree_only(string ignored, string path, bool hidden) =>
        Assert.Equal(hidden, TraceDiff.IsIgnored(path, new HashSet<string> { ignored }));
}
