using TorchSharp;
using Xunit;

namespace Cm.Tests.Unet;

/// <summary>
/// libtorch's intra-op thread count is process-wide: tests that set it run in this collection, one at a time,
/// and restore the previous value.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchThreads
{
    public const string Name = "libtorch thread count";

    public static IDisposable Use(int threads)
    {
        var before = torch.get_num_threads();
        torch.set_num_threads(threads);
        return new Restore(before);
    }

    private sealed class Restore(int before) : IDisposable
    {
        public void Dispose() => torch.set_num_threads(before);
    }
}
