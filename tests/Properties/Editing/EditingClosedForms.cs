using Cm.Pure.Editing;
using Cm.Tests.Golden;
using Xunit;
using static Cm.Tests.Editing.EditingGolden;

namespace Cm.Tests.Editing;

/// <summary>
/// Cm's own bases (built by <see cref="OrthonormalBasis.FromFirstColumn"/>, not read from the goldens)
/// against openai's recorded ones, and every golden replacement with them at the README's tolerances.
/// </summary>
public sealed class EditingClosedForms
{
    public static TheoryData<string> Edits => EditRows();

    [Theory]
    [InlineData("colorization")]
    [InlineData("superres")]
    public void Cms_householder_basis_rounds_to_openais_recorded_float32_Q(string key)
    {
        var recorded = RecordedBasis(key);
        var own = key == "colorization" ? EditBases.Luminance : Ok(EditBases.Patch(8));
        Assert.Equal(recorded.N, own.N);
        var differ = Enumerable.Range(0, own.Q.Length)
            .Where(k => BitConverter.SingleToUInt32Bits(own.Q[k]) != BitConverter.SingleToUInt32Bits(recorded.Q[k]))
            .Select(k => $"Q[{k / own.N},{k % own.N}] = {own.Q[k]:R}, recorded {recorded.Q[k]:R}").ToArray();
        Assert.True(differ.Length == 0, $"{differ.Length} entries differ: {string.Join("; ", differ.Take(8))}");
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void Replacement_with_cms_own_basis_is_within_the_readme_tolerance(string row)
    {
        var c = Case(row);
        var (r, _) = ReplacementOf(c, recordedBasis: false);
        var tol = (string)c["task"]! switch { "colorization" => 2e-6, "superres" => 1e-5, _ => 0.0 };
        var processed = Ok(Replacements.Preprocess(r, T(c, "images")));
        var worst = MaxAbs(T(c, "images_processed").Data, processed.Data);
        foreach (var g in c["steps"]!.AsArray())
        {
            var replaced = Ok(Replacements.Replace(r, T(c, "images_processed"), T(g!, "x0_clamped")));
            worst = Math.Max(worst, MaxAbs(T(g!, "x0_replaced").Data, replaced.Data));
        }
        Assert.True(worst <= tol, $"max |Cm − openai| = {worst:G3} > {tol:G3}");
    }

    private static double MaxAbs(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var m = 0.0;
        for (var i = 0; i < a.Length; i++) m = Math.Max(m, Math.Abs((double)a[i] - b[i]));
        return m;
    }
}
