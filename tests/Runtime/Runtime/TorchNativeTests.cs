using Cm.Runtime.Native;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Runtime;

public class TorchNativeTests
{
    [Fact]
    public void Libtorch_loads_in_the_test_process_after_a_plain_build()
    {
        // Proves the build step: on Debian 12 this only passes when the output's libLibTorchSharp.so was patched.
        var loaded = TorchNative.EnsureLoaded();
        Assert.True(loaded.IsSucc, loaded.Match(Succ: _ => "", Fail: e => e.Message));
    }

    [Fact]
    public void Generator_seeded_42_gives_pytorchs_randn()
    {
        RuntimeFixtures.RequireTorch();
        using var g = new torch.Generator(42);
        using var r = torch.randn(new long[] { 3 }, dtype: torch.float32, generator: g);
        var values = r.data<float>().ToArray();
        // PyTorch 1.13: torch.Generator().manual_seed(42); torch.randn(3, generator=g) — bit-exact (same mt19937 + Box-Muller).
        Assert.Equal(new[] { 0.33669036626815796f, 0.12880940735340118f, 0.23446236550807953f }, values);
    }

    [Fact]
    public void Outputs_libLibTorchSharp_is_not_a_link_into_the_nuget_cache()
    {
        // Cm's native set-up (libtorch-cpu-linux-x64, the GLIBCXX fix) is Linux-only: elsewhere this says so instead of passing unchecked.
        Assert.True(OperatingSystem.IsLinux(), "the native set-up this test checks exists on Linux x64 only (docs/native-setup.md)");
        var candidates = Directory.GetFiles(AppContext.BaseDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories);
        Assert.NotEmpty(candidates);
        foreach (var f in candidates)
            Assert.Null(new FileInfo(f).LinkTarget);
    }
}
