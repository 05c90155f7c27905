using System.Text;
using Cm.Pure.Schedules;
using Cm.Pure.Schedules.Arithmetic;
using Cm.Pure.Traces;
using Cm.Tests.Golden;
using Xunit;

namespace Cm.Tests.Traces;

/// <summary>
/// The header's <c>schedule_math</c>: written by Cm, read back, checked against; absent in Python
/// recordings, where <c>cm verify</c> tries each variant and says which matched.
/// </summary>
public sealed class ScheduleMathTraceTests
{
    private static IEnumerable<string> Avx512Ids => GoldenTraces.Ids.Where(i => i.StartsWith("diffusers_numpy_avx512|", StringComparison.Ordinal));

    /// <summary>An AVX-512-host recording whose schedule differs from glibc's (most do).</summary>
    private static string DifferingAvx512Id => Avx512Ids.First(id =>
    {
        var c = GoldenTraces.Case(id);
        var glibc = Schedule.Create(GoldenFiles.ValidConfig(c["config"]!), GoldenFiles.Spec(c["schedule"]!))
            .Match(s => s, e => throw new Xunit.Sdk.XunitException(e.Message));
        return !glibc.Timesteps.SequenceEqual(Encoded.Parse(c["scheduler_timesteps"]).F64());
    });

    public static TheoryData<string> Avx512Cases => GoldenFiles.Rows(Avx512Ids);

    [Theory]
    [MemberData(nameof(Avx512Cases))]
    public void A_python_recording_from_an_avx512_host_verifies_and_the_report_names_numpy_avx512(string id)
    {
        var report = TraceBytes.Verify(GoldenTraces.Trace(id));
        Assert.True(report.Ok, report.ToString());
        Assert.True(report.StepsRecomputed);
        Assert.False(report.ScheduleMathRecorded);
        Assert.Contains("matches", report.ToString());
        Assert.Contains("numpy-avx512", report.ToString());
    }

    [Fact]
    public void A_python_recording_from_an_avx512_host_names_only_numpy_avx512_when_glibc_differs()
    {
        var report = TraceBytes.Verify(GoldenTraces.Trace(DifferingAvx512Id));
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(ScheduleMath.NumpyAvx512, report.ScheduleMath);
        Assert.Contains("the trace matches numpy-avx512 (tried glibc, numpy-avx512)", report.ToString());
    }

    [Fact]
    public void The_same_recording_claiming_glibc_fails_at_the_first_differing_value()
    {
        var lines = TraceBytes.Lines(GoldenTraces.Trace(DifferingAvx512Id));
        lines[0] = lines[0].Replace("\"schedule\":", "\"schedule_math\":\"glibc\",\"schedule\":", StringComparison.Ordinal);
        var report = TraceBytes.Verify(TraceBytes.Rechain(lines));
        var f = TraceBytes.Failure(report);
        Assert.True(f.Field is "timestep" or "sigma" or "sigma_next", f.Message);
        Assert.True(f.Line >= 2, f.Message);
        Assert.True(report.ScheduleMathRecorded);

        lines[0] = lines[0].Replace("\"schedule_math\":\"glibc\"", "\"schedule_math\":\"numpy-avx512\"", StringComparison.Ordinal);
        Assert.True(TraceBytes.Verify(TraceBytes.Rechain(lines)).Ok);
    }

    [Fact]
    public void A_recording_that_matches_neither_fails_where_the_closer_variant_first_differs()
    {
        var lines = TraceBytes.Lines(GoldenTraces.Trace(DifferingAvx512Id));
        var last = lines.FindLastIndex(l => l.Contains("\"type\":\"step\"", StringComparison.Ordinal));
        var edited = System.Text.RegularExpressions.Regex.Replace(lines[last], "\"timestep\":\\{\"value\":[^,]*,\"bits\":\"0x([0-9a-f]{16})\"\\}", m =>
        {
            var t = Math.BitIncrement(BitConverter.UInt64BitsToDouble(Convert.ToUInt64(m.Groups[1].Value, 16)));
            return $"\"timestep\":{{\"value\":{DecimalText.Repr(t)},\"bits\":\"0x{BitConverter.DoubleToUInt64Bits(t):x16}\"}}";
        });
        Assert.NotEqual(lines[last], edited);
        lines[last] = edited;
        var report = TraceBytes.Verify(TraceBytes.Rechain(lines));
        var f = TraceBytes.Failure(report);
        Assert.Equal(last + 1, f.Line);
        Assert.Equal("timestep", f.Field);
        Assert.Contains("no variant matches", report.ToString());
        Assert.Equal(ScheduleMath.NumpyAvx512, report.ScheduleMath);
    }

    [Fact]
    public void Cm_writes_the_variant_into_the_header_and_reads_it_back()
    {
        var id = DifferingAvx512Id;
        var (header, steps, final) = GoldenTraces.Records(GoldenTraces.Case(id), GoldenTraces.LibraryOf(id));
        var lines = new List<byte[]> { TraceLines.Header(header with { ScheduleMath = ScheduleMath.NumpyAvx512 }, true, TraceFormat.GenesisPrev) };
        foreach (var s in steps) lines.Add(TraceLines.Step(s, true, TensorHash.OfBytes(lines[^1])));
        lines.Add(TraceLines.Footer(steps.Count, final, true, TensorHash.OfBytes(lines[^1])));
        var bytes = lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
        Assert.Contains("\"schedule_math\":\"numpy-avx512\"", Encoding.UTF8.GetString(bytes).Split('\n')[0]);
        var report = TraceBytes.Verify(bytes);
        Assert.True(report.Ok, report.ToString());
        Assert.True(report.ScheduleMathRecorded);
        Assert.Equal(ScheduleMath.NumpyAvx512, report.ScheduleMath);
    }

    [Fact]
    public void An_unknown_variant_name_is_a_header_error_that_lists_the_choices()
    {
        var lines = TraceBytes.Lines(GoldenTraces.Trace(GoldenTraces.Ids.First()));
        lines[0] = lines[0].Replace("\"schedule\":", "\"schedule_math\":\"musl\",\"schedule\":", StringComparison.Ordinal);
        var f = TraceBytes.Failure(TraceBytes.Verify(TraceBytes.Rechain(lines)));
        Assert.Equal(1, f.Line);
        Assert.Equal("schedule_math", f.Field);
        Assert.Contains("glibc, numpy-avx512", f.Message);
    }
}
