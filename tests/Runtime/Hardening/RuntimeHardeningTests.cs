using Cm.Runtime.Files;
using Cm.Runtime.Traces;
using Cm.Tests.Traces;
using Xunit;

namespace Cm.Tests.Runtime.Hardening;

/// <summary>Issue 15's file findings at the runtime level: concurrent trace writers, temp files left by kill -9, file types.</summary>
public sealed class RuntimeHardeningTests
{
    [Fact]
    public void Two_writers_of_one_trace_the_second_fails_cleanly_and_the_first_trace_is_intact()
    {
        using var dir = new TempDir();
        var path = dir.File("run.jsonl");
        var a = TraceWriter.Create(path, false, overwrite: false).Match(w => w, e => throw new Exception(e.Message));
        var b = TraceWriter.Create(path, false, overwrite: false).Match(w => w, e => throw new Exception(e.Message));
        Assert.NotEqual(a.PartialPath, b.PartialPath);
        var (header, steps, final) = GoldenTraces.Records(GoldenTraces.Case(CampaignTrace.Id));
        foreach (var w in new[] { a, b }) Assert.True(w.OnStart(header).IsSucc);
        foreach (var s in steps) foreach (var w in new[] { a, b }) Assert.True(w.OnStep(s).IsSucc);
        Assert.True(a.OnComplete(final).IsSucc);
        var loser = b.OnComplete(final);
        Assert.True(loser.IsFail);
        Assert.IsType<Cm.Runtime.Errors.OutputExists>(loser.Match(_ => null!, e => e));
        a.Dispose();
        b.Dispose();
        Assert.True(TraceFile.Verify(path).Ok);
        Assert.Equal(["run.jsonl"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_killed_midway_leaves_a_visible_temp_file_that_the_next_write_removes()
    {
        using var dir = new TempDir();
        var target = dir.File("a.png");
        var stale = target + ".cm-2147483000-0123456789abcdef0123456789abcdef.tmp";   // no such process
        File.WriteAllText(stale, "half");
        Assert.True(AtomicFile.Write(target, [1, 2, 3], overwrite: false).IsSucc);
        Assert.False(File.Exists(stale));
        Assert.Equal(["a.png"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => Path.GetFileName(f).StartsWith('.'));
        var fresh = TempNames.For(target, "tmp");
        Assert.StartsWith(target + ".cm-" + Environment.ProcessId + "-", fresh);
    }

    [Fact]
    public void A_line_longer_than_the_header_allows_is_refused_unread()
    {
        using var dir = new TempDir();
        var lines = TraceBytes.Lines(CampaignTrace.Valid);
        lines[2] = lines[2][..^1] + ",\"pad\":\"" + new string('a', 8 << 20) + "\"}";   // an 8 MiB step line in a 1x1x2x3 trace
        var path = dir.File("long.jsonl");
        File.WriteAllBytes(path, TraceBytes.Join(lines));
        var limit = TraceFile.LineLimit(path);
        Assert.True(limit < 1 << 20, $"limit {limit}");
        // First use initialises statics (schedule arithmetic tables, generators, JIT): not what this test counts.
        var valid = dir.File("valid.jsonl");
        File.WriteAllBytes(valid, CampaignTrace.Valid);
        Assert.True(TraceFile.Verify(valid).Failure.IsNone);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var f = TraceBytes.Failure(TraceFile.Verify(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 << 20, $"the long line was buffered ({allocated} bytes allocated)");
        Assert.Equal((3, "line"), (f.Line, f.Field));
        Assert.Contains($"at most {limit} bytes", f.Expected);
    }

    [Fact]
    public void File_kinds_tell_devices_folders_and_regular_files_apart()
    {
        using var dir = new TempDir();
        Assert.Equal(FileType.Special, FileKind.Of("/dev/null"));
        Assert.Equal(FileType.Special, FileKind.Of("/dev/zero"));
        Assert.Equal(FileType.Directory, FileKind.Of(dir.Path));
        Assert.Equal(FileType.Missing, FileKind.Of(dir.File("none")));
        Assert.Equal(FileType.Regular, FileKind.Of(dir.Write("f", "x")));
        Assert.True(AtomicFile.CheckTarget("/dev/null", overwrite: true).IsFail);
    }
}
