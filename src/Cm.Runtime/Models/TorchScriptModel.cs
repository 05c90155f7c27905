using Cm.Runtime.Errors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using LanguageExt;
using LanguageExt.Common;
using Cm.Runtime.Native;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Models;

/// <summary>
/// A TorchScript file (<c>torch.jit.script(m).save(path)</c> or <c>torch.jit.trace</c>) whose <c>forward</c> is
/// <c>forward(x: Tensor, t: Tensor, class_labels: Optional[Tensor]) -&gt; Tensor</c>, called per the
/// <see cref="IModel"/> convention. Identity is <c>torchscript:sha256:&lt;hex of the file&gt;</c>.
/// Disposing this disposes the loaded module.
/// </summary>
public sealed class TorchScriptModel : IModel, IDisposable
{
    /// <summary>Error code: the file does not exist.</summary>
    public const int MissingFileCode = 0x434D_0201;
    /// <summary>Error code: the file is not a TorchScript archive libtorch can load.</summary>
    public const int CorruptFileCode = 0x434D_0202;
    /// <summary>Error code: the module cannot be called with Cm's signature (found by the probe).</summary>
    public const int WrongSignatureCode = 0x434D_0203;
    /// <summary>Error code: a call failed for another reason (shapes, dtypes, device, ...).</summary>
    public const int CallFailedCode = 0x434D_0204;

    private readonly torch.jit.ScriptModule _module;

    private TorchScriptModel(torch.jit.ScriptModule module, string identity, string path)
    {
        _module = module;
        Identity = identity;
        Path = path;
    }

    /// <inheritdoc />
    public string Identity { get; }

    /// <summary>The absolute path the model was loaded from.</summary>
    public string Path { get; }

    /// <summary>
    /// Loads a TorchScript file onto <paramref name="device"/> in eval mode. When <paramref name="probeShape"/>
    /// is given (e.g. <c>[1, 3, 64, 64]</c>), the model is called once on zeros of that shape (with t = 0 and,
    /// when <paramref name="probeWithLabels"/> is set, class label 0, else None) so a wrong signature or output
    /// shape is reported here rather than at the first sampling step.
    /// </summary>
    public static Fin<TorchScriptModel> Load(string path, torch.Device device, long[]? probeShape = null, bool probeWithLabels = false)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (string.IsNullOrWhiteSpace(path))
            return FinFail<TorchScriptModel>(new InvalidModel(MissingFileCode, "No TorchScript model path given."));
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            return FinFail<TorchScriptModel>(new InvalidModel(MissingFileCode,
                $"TorchScript model file '{full}' does not exist. Export one as described in docs/export-diffusers-unet.md."));
        // /dev/zero would be hashed forever and a FIFO blocks: only regular files are models.
        if (Files.FileKind.Of(full) is var kind && kind != Files.FileType.Regular)
            return FinFail<TorchScriptModel>(new InvalidModel(MissingFileCode,
                $"TorchScript model '{full}': {Files.FileKind.Describe(kind)}; give a .pt file written by torch.jit.save."));
        return TorchNative.EnsureLoaded().Bind(_ => LoadExisting(full, device, probeShape, probeWithLabels));
    }

    private static Fin<TorchScriptModel> LoadExisting(string full, torch.Device device, long[]? probeShape, bool probeWithLabels)
    {
        string hash;
        try
        {
            using var stream = File.OpenRead(full);
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (IOException e)
        {
            return FinFail<TorchScriptModel>(new InvalidModel(MissingFileCode, $"TorchScript model file '{full}' could not be read: {e.Message}"));
        }
        catch (UnauthorizedAccessException e)
        {
            return FinFail<TorchScriptModel>(new InvalidModel(MissingFileCode, $"TorchScript model file '{full}' could not be read: {e.Message}"));
        }

        torch.jit.ScriptModule module;
        try
        {
            module = torch.jit.load(full, device);
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or ArgumentException)
        {
            return FinFail<TorchScriptModel>(new InvalidModel(CorruptFileCode,
                $"'{full}' is not a TorchScript archive libtorch can load (corrupt, truncated, a state_dict/pickle " +
                $"rather than torch.jit.save output, or saved by an incompatible PyTorch). libtorch said: {FirstLine(e.Message)}"));
        }
        module.eval();
        var model = new TorchScriptModel(module, "torchscript:sha256:" + hash, full);
        if (probeShape is null) return model;

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.zeros(probeShape, dtype: torch.float32, device: device);
        var labels = probeWithLabels ? torch.zeros(new[] { probeShape[0] }, dtype: torch.int64, device: device) : null;
        var probe = model.TryForward(x, 0.0, labels);
        return probe.Match(
            Succ: _ => FinSucc(model),
            Fail: err =>
            {
                model.Dispose();
                return FinFail<TorchScriptModel>(err);
            });
    }

    /// <summary>Like <see cref="Forward"/>, but failures are values (codes <see cref="WrongSignatureCode"/> and <see cref="CallFailedCode"/>).</summary>
    public Fin<torch.Tensor> TryForward(torch.Tensor scaledSample, double timestep, torch.Tensor? classLabels)
    {
        try
        {
            return Forward(scaledSample, timestep, classLabels);
        }
        catch (ModelCallException e)
        {
            return FinFail<torch.Tensor>(e.Data.Contains(SignatureKey) ? new InvalidModel(WrongSignatureCode, e.Message) : new ModelCallFailed(CallFailedCode, e.Message));
        }
    }

    private const string SignatureKey = "cm.wrongSignature";

    /// <summary>
    /// The error for an exception a model call threw at step <paramref name="step"/>: a model that cannot be
    /// called with Cm's signature is invalid input (exit 3), any other failure a run failure.
    /// </summary>
    public static Pure.Errors.CmError CallError(int step, Exception e) =>
        e is ModelCallException && e.Data.Contains(SignatureKey)
            ? new InvalidModel(WrongSignatureCode, e.Message)
            : new Sampling.ModelFailed(step, e.Message);

    /// <inheritdoc />
    public torch.Tensor Forward(torch.Tensor scaledSample, double timestep, torch.Tensor? classLabels)
    {
        using var t = ModelConvention.TimestepTensor(scaledSample, timestep);
        object result;
        try
        {
            result = _module.forward(scaledSample, t, classLabels!);
        }
        catch (Exception e) when (e is ExternalException or InvalidOperationException or ArgumentException or NotImplementedException)
        {
            var signature = LooksLikeSignatureError(e.Message);
            var ex = new ModelCallException(Identity, signature
                ? $"TorchScript model '{Path}' cannot be called as {ModelConvention.TorchScriptSignature} " +
                  $"(Cm passes x, t as float32 [N] and class_labels as int64 [N] or None; see docs/export-diffusers-unet.md). " +
                  $"libtorch said: {FirstLine(e.Message)}"
                : $"TorchScript model '{Path}' failed when called as {ModelConvention.TorchScriptSignature}: {FirstLine(e.Message)}", e);
            if (signature) ex.Data[SignatureKey] = true;
            throw ex;
        }
        if (result is not torch.Tensor output)
        {
            if (result is IDisposable d) d.Dispose();
            var ex = new ModelCallException(Identity,
                $"TorchScript model '{Path}' returned {result?.GetType().Name ?? "nothing"}, not a Tensor; " +
                $"the expected signature is {ModelConvention.TorchScriptSignature} (for diffusers, return .sample).");
            ex.Data[SignatureKey] = true;
            throw ex;
        }
        return ModelConvention.CheckOutput(Identity, scaledSample, output);
    }

    // libtorch's schema check (checkAndNormalizeInputs) and argument type checks; matched loosely on purpose.
    private static bool LooksLikeSignatureError(string message) =>
        new[] { "Declaration: forward(", "for operator 'forward'", "forward() expected", "Expected a value of type",
                "missing value for argument", "expected at most", "Expected at most" }
            .Any(m => message.Contains(m, StringComparison.Ordinal));

    // libtorch messages carry a C++ backtrace after "Exception raised from"; keep the readable head.
    private static string FirstLine(string message)
    {
        var cut = message.IndexOf("Exception raised from", StringComparison.Ordinal);
        var head = cut > 0 ? message[..cut] : message;
        var lines = head.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? head.Trim() : string.Join(" ", lines.Take(4));
    }

    /// <inheritdoc />
    public void Dispose() => _module.Dispose();
}
