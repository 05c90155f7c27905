using System.Security.Cryptography;
using Cm.Runtime.Errors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Models.Onnx;

/// <summary>
/// An ONNX file run by ONNX Runtime (CPU) behind the <see cref="IModel"/> convention: inputs, by position,
/// <c>x</c> float32 <c>[N,C,H,W]</c>, <c>t</c> float32 <c>[N]</c> and — for class-conditional exports — <c>class_labels</c>
/// int64 <c>[N]</c>; the first output is the network output. For users who already have ONNX exports and for
/// platforms libtorch does not serve. Tensors cross to and from the sample's device through the CPU.
/// Identity: <c>onnx:sha256:&lt;hex of the file&gt;</c>.
/// </summary>
public sealed class OnnxModel : IModel, IDisposable
{
    /// <summary>Error code of an ONNX file that cannot be used.</summary>
    public const int InvalidCode = 1630;

    private readonly InferenceSession _session;
    private readonly string[] _inputs;
    private readonly string _output;

    private OnnxModel(InferenceSession session, string identity, string[] inputs, string output)
    {
        _session = session;
        Identity = identity;
        _inputs = inputs;
        _output = output;
    }

    /// <inheritdoc/>
    public string Identity { get; }

    /// <summary>Whether the export takes class labels (a third input).</summary>
    public bool IsConditional => _inputs.Length == 3;

    /// <summary>Loads and checks an ONNX file: 2 or 3 inputs of the convention's element types, at least one output.</summary>
    public static Fin<OnnxModel> Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) return FinFail<OnnxModel>(new FileUnreadable(full, "no such ONNX file"));
        string hash;
        try
        {
            using var stream = File.OpenRead(full);
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<OnnxModel>(new FileUnreadable(full, e.Message));
        }
        InferenceSession session;
        try
        {
            session = new InferenceSession(full);
        }
        catch (OnnxRuntimeException e)
        {
            return FinFail<OnnxModel>(new InvalidModel(InvalidCode, $"'{full}' is not an ONNX model ONNX Runtime can load: {e.Message}"));
        }
        var inputs = session.InputMetadata.ToArray();
        var wanted = new[] { typeof(float), typeof(float), typeof(long) };
        var ok = inputs.Length is 2 or 3 && session.OutputMetadata.Count >= 1
                 && inputs.Select((kv, i) => kv.Value.ElementType == wanted[i]).All(b => b)
                 && inputs[0].Value.Dimensions.Length == 4 && inputs[1].Value.Dimensions.Length == 1;
        if (!ok)
        {
            var got = string.Join(", ", inputs.Select(kv => $"{kv.Key}: {kv.Value.ElementType.Name}[{string.Join(",", kv.Value.Dimensions)}]"));
            session.Dispose();
            return FinFail<OnnxModel>(new InvalidModel(InvalidCode,
                $"ONNX model '{full}' has inputs ({got}); Cm calls (x: float32[N,C,H,W], t: float32[N]) or (x, t, class_labels: int64[N]) and uses the first output"));
        }
        return new OnnxModel(session, "onnx:sha256:" + hash, inputs.Select(kv => kv.Key).ToArray(), session.OutputMetadata.Keys.First());
    }

    /// <inheritdoc/>
    public torch.Tensor Forward(torch.Tensor scaledSample, double timestep, torch.Tensor? classLabels)
    {
        ArgumentNullException.ThrowIfNull(scaledSample);
        if (IsConditional && classLabels is null)
            throw new ModelCallException(Identity, $"ONNX model '{Identity}' is class-conditional: give class labels.");
        if (!IsConditional && classLabels is not null)
            throw new ModelCallException(Identity, $"ONNX model '{Identity}' takes no class labels (two inputs).");
        var dims = scaledSample.shape.Select(d => (int)d).ToArray();
        var n = dims[0];
        using var cpu = scaledSample.to(torch.float32).cpu().contiguous();
        var x = new DenseTensor<float>(cpu.data<float>().ToArray(), dims);
        var t = new DenseTensor<float>(Enumerable.Repeat((float)timestep, n).ToArray(), [n]);
        var feeds = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor(_inputs[0], x), NamedOnnxValue.CreateFromTensor(_inputs[1], t) };
        if (classLabels is not null)
        {
            using var labels = classLabels.to(torch.int64).cpu().contiguous();
            feeds.Add(NamedOnnxValue.CreateFromTensor(_inputs[2], new DenseTensor<long>(labels.data<long>().ToArray(), [n])));
        }
        try
        {
            using var results = _session.Run(feeds, [_output]);
            var y = results.First().AsTensor<float>();
            var output = torch.tensor(y.ToArray(), y.Dimensions.ToArray().Select(d => (long)d).ToArray(), dtype: torch.float32);
            var moved = scaledSample.device_type == DeviceType.CPU ? output : output.to(scaledSample.device);
            if (!ReferenceEquals(moved, output)) output.Dispose();
            return ModelConvention.CheckOutput(Identity, scaledSample, moved);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelCallException(Identity, $"ONNX model '{Identity}' failed: {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}
