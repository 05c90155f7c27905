using Cm.Runtime.Devices;
using Cm.Runtime.Native;
using LanguageExt;
using TorchSharp;

namespace Cm.Tests.Runtime;

/// <summary>Paths of committed fixtures and the device the runtime tests use.</summary>
public static class RuntimeFixtures
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cm.sln not found above the test binaries.");
    });

    /// <summary>A path under <c>tests/fixtures/models</c>.</summary>
    public static string Model(string name) => Path.Combine(Root.Value, "tests", "fixtures", "models", name);

    /// <summary>
    /// The device spec the runtime tests run on: <c>CM_DEVICE</c> when set (e.g. <c>cuda</c> from
    /// scripts/gpu-check.sh), else <c>cpu</c>.
    /// </summary>
    public static DeviceSpec Spec
    {
        get
        {
            var text = Environment.GetEnvironmentVariable("CM_DEVICE");
            return string.IsNullOrWhiteSpace(text) ? DeviceSpec.Cpu : DeviceSpec.Parse(text).ThrowIfFail();
        }
    }

    /// <summary>The resolved device of <see cref="Spec"/> (fails the test with the typed error if unavailable).</summary>
    public static torch.Device Device => Spec.Resolve().ThrowIfFail();

    /// <summary>libtorch is loaded (throws with the typed error message otherwise).</summary>
    public static void RequireTorch() => TorchNative.EnsureLoaded().ThrowIfFail();
}
