using Cm.Runtime.Errors;
using Cm.Runtime.Native;
using Cm.Runtime.Threading;
using LanguageExt;
using TorchSharp;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Threading;

/// <summary>The libtorch thread setting (issue 13): parsing, the default rule, and that Set reaches libtorch.</summary>
public sealed class TorchThreadsTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("2", 2)]
    [InlineData("1024", 1024)]
    public void Whole_numbers_from_1_to_1024_parse(string text, int n) =>
        Assert.Equal(n, TorchThreads.Parse(text).Match(x => x, e => throw new InvalidOperationException(e.Message)));

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1025")]
    [InlineData("two")]
    [InlineData("1.5")]
    [InlineData("")]
    public void Anything_else_is_an_invalid_thread_count_naming_the_value(string text) =>
        TorchThreads.Parse(text).Match(
            _ => Assert.Fail($"'{text}' parsed"),
            e =>
            {
                var t = Assert.IsType<InvalidThreadCount>(e);
                Assert.Equal(1310, t.Code);
                Assert.Contains($"--threads {text}:", t.Message);
            });

    [Fact]
    public void The_default_is_one_thread_unless_asked_or_OMP_NUM_THREADS_is_set()
    {
        Assert.Equal(Some(1), TorchThreads.Choose(None, null));
        Assert.Equal(Some(1), TorchThreads.Choose(None, " "));
        Assert.Equal(Option<int>.None, TorchThreads.Choose(None, "4"));
        Assert.Equal(Some(3), TorchThreads.Choose(Some(3), "4"));
        Assert.Equal(Some(3), TorchThreads.Choose(Some(3), null));
    }

    [Fact]
    public void Set_reaches_libtorch_and_rejects_nonsense()
    {
        TorchNative.EnsureLoaded().IfFail(e => Assert.Fail(e.Message));
        var before = torch.get_num_threads();
        try
        {
            Assert.Equal(2, TorchThreads.Set(2).Match(n => n, e => throw new InvalidOperationException(e.Message)));
            Assert.Equal(2, torch.get_num_threads());
            Assert.Equal(2, TorchThreads.Current);
            Assert.True(TorchThreads.Set(0).IsFail);
            Assert.Equal(2, torch.get_num_threads());
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }
}
