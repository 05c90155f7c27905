using Cm.Runtime.Devices;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Runtime;

public class DeviceSpecTests
{
    [Theory]
    [InlineData("auto", DeviceKind.Auto, null, "auto")]
    [InlineData("cpu", DeviceKind.Cpu, null, "cpu")]
    [InlineData("  CPU ", DeviceKind.Cpu, null, "cpu")]
    [InlineData("cuda", DeviceKind.Cuda, null, "cuda")]
    [InlineData("cuda:0", DeviceKind.Cuda, 0, "cuda:0")]
    [InlineData("CUDA:3", DeviceKind.Cuda, 3, "cuda:3")]
    [InlineData("cuda:12", DeviceKind.Cuda, 12, "cuda:12")]
    public void Parses_valid_text(string text, DeviceKind kind, int? index, string canonical)
    {
        var spec = DeviceSpec.Parse(text).ThrowIfFail();
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(index, spec.Index);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, DeviceSpec.Parse(spec.ToString()).ThrowIfFail());
    }

    [Theory]
    [InlineData("gpu", "Unknown device 'gpu'")]
    [InlineData("cuda:", "Invalid CUDA device index")]
    [InlineData("cuda:-1", "Invalid CUDA device index")]
    [InlineData("cuda:+1", "Invalid CUDA device index")]
    [InlineData("cuda:x", "Invalid CUDA device index")]
    [InlineData("cuda:99999999999", "Invalid CUDA device index")]
    [InlineData("cpu:0", "Unknown device 'cpu:0'")]
    [InlineData("", "No device given")]
    [InlineData(null, "No device given")]
    public void Rejects_bad_text_with_a_clear_error(string? text, string expected)
    {
        var parsed = DeviceSpec.Parse(text);
        Assert.True(parsed.IsFail);
        var error = parsed.Match(Succ: _ => throw new InvalidOperationException(), Fail: e => e);
        Assert.Equal(DeviceSpec.ParseErrorCode, error.Code);
        Assert.Contains(expected, error.Message);
        Assert.Contains("auto | cpu | cuda | cuda:N", error.Message);
    }

    [Fact]
    public void Choose_without_cuda_never_falls_back_silently()
    {
        Assert.Equal((DeviceType.CPU, -1), DeviceSpec.Auto.Choose(false, 0).ThrowIfFail());
        Assert.Equal((DeviceType.CPU, -1), DeviceSpec.Cpu.Choose(true, 2).ThrowIfFail());
        Assert.Equal((DeviceType.CUDA, 0), DeviceSpec.Auto.Choose(true, 2).ThrowIfFail());
        Assert.Equal((DeviceType.CUDA, 1), DeviceSpec.CudaAt(1).Choose(true, 2).ThrowIfFail());

        var none = DeviceSpec.Cuda.Choose(false, 0);
        Assert.Equal(DeviceSpec.CudaUnavailableCode, none.Match(_ => 0, e => e.Code));
        var beyond = DeviceSpec.CudaAt(2).Choose(true, 2);
        var err = beyond.Match(_ => throw new InvalidOperationException(), e => e);
        Assert.Equal(DeviceSpec.CudaIndexOutOfRangeCode, err.Code);
        Assert.Contains("only 2 CUDA device(s)", err.Message);
    }

    [Fact]
    public void Resolving_cuda_matches_this_process()
    {
        RuntimeFixtures.RequireTorch();
        var resolved = DeviceSpec.Cuda.Resolve();
        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, resolved.ThrowIfFail().type);
            var count = torch.cuda.device_count();
            var beyond = DeviceSpec.CudaAt(count).Resolve();
            Assert.Equal(DeviceSpec.CudaIndexOutOfRangeCode, beyond.Match(_ => 0, e => e.Code));
        }
        else
        {
            // This CPU-only machine: a clear typed error, not a silent CPU.
            var err = resolved.Match(_ => throw new InvalidOperationException("cuda resolved without CUDA"), e => e);
            Assert.Equal(DeviceSpec.CudaUnavailableCode, err.Code);
            Assert.Contains("CUDA is not available", err.Message);
            Assert.Contains("docs/native-setup.md", err.Message);
            Assert.Equal(DeviceType.CPU, DeviceSpec.Auto.Resolve().ThrowIfFail().type);
        }
        Assert.Equal(DeviceType.CPU, DeviceSpec.Cpu.Resolve().ThrowIfFail().type);
    }
}

public class DeviceSpecProperties
{
    [FsCheck.Xunit.Property]
    public bool Cuda_index_text_round_trips(FsCheck.NonNegativeInt n)
    {
        var spec = DeviceSpec.Parse($"cuda:{n.Get}").ThrowIfFail();
        return spec == DeviceSpec.CudaAt(n.Get) && spec.ToString() == $"cuda:{n.Get}";
    }

    [FsCheck.Xunit.Property]
    public bool Text_outside_the_grammar_is_a_parse_error(string? text)
    {
        var t = (text ?? "").Trim().ToLowerInvariant();
        var valid = t is "auto" or "cpu" or "cuda"
                    || (t.StartsWith("cuda:", StringComparison.Ordinal) && t.Length > 5 && t[5..].All(char.IsAsciiDigit)
                        && int.TryParse(t[5..], out _));
        var parsed = DeviceSpec.Parse(text);
        return valid ? parsed.IsSucc : parsed.Match(_ => false, e => e.Code == DeviceSpec.ParseErrorCode);
    }
}
