using Cm.Runtime.Models;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Runtime;

public class ModelAdapterTests
{
    private sealed class Scale : torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor>
    {
        public Scale() : base("scale") { }
        public override torch.Tensor forward(torch.Tensor x, torch.Tensor t) => x * t[0];
    }

    private sealed class ScalePlusLabel : torch.nn.Module<torch.Tensor, torch.Tensor, torch.Tensor?, torch.Tensor>
    {
        public ScalePlusLabel() : base("scale_plus_label") { }
        public override torch.Tensor forward(torch.Tensor x, torch.Tensor t, torch.Tensor? labels) =>
            labels is null ? x * t[0] : x * t[0] + labels.to(torch.float32).reshape(-1, 1, 1, 1);
    }

    [Fact]
    public void Timestep_is_a_float32_batch_vector_on_the_sample_device()
    {
        RuntimeFixtures.RequireTorch();
        using var x = torch.ones(2, 1, 2, 2);
        using var t = ModelConvention.TimestepTensor(x, 0.1);
        Assert.Equal(torch.float32, t.dtype);
        Assert.Equal(new long[] { 2 }, t.shape);
        Assert.Equal((x.device.type, x.device.index), (t.device.type, t.device.index));
        Assert.Equal(0.1f, t[0].item<float>());
    }

    [Fact]
    public void Unconditional_module_model_runs_and_refuses_labels()
    {
        RuntimeFixtures.RequireTorch();
        using var m = new ModuleModel("scale", new Scale());
        Assert.Equal("module:scale", m.Identity);
        using var x = torch.ones(2, 1, 2, 2);
        using var y = m.Forward(x, 2.5, null);
        Assert.All(y.data<float>().ToArray(), v => Assert.Equal(2.5f, v));
        using var labels = torch.zeros(2, dtype: torch.int64);
        var ex = Assert.Throws<ModelCallException>(() => m.Forward(x, 1.0, labels));
        Assert.Contains("unconditional", ex.Message);
    }

    [Fact]
    public void Conditional_module_model_gets_labels_or_null()
    {
        RuntimeFixtures.RequireTorch();
        using var m = new ModuleModel("cond", new ScalePlusLabel());
        using var x = torch.ones(2, 1, 1, 1);
        using var labels = torch.tensor(new long[] { 3, 5 });
        using var withLabels = m.Forward(x, 2.0, labels);
        Assert.Equal(new[] { 5f, 7f }, withLabels.data<float>().ToArray());
        using var withoutLabels = m.Forward(x, 2.0, null);
        Assert.Equal(new[] { 2f, 2f }, withoutLabels.data<float>().ToArray());
    }

    [Fact]
    public void Delegate_model_output_of_the_wrong_shape_is_rejected()
    {
        RuntimeFixtures.RequireTorch();
        var ok = new DelegateModel("id", (x, _, _) => x.clone());
        Assert.Equal("delegate:id", ok.Identity);
        var bad = new DelegateModel("bad", (x, _, _) => x.sum());
        using var x = torch.ones(1, 1, 2, 2);
        using var y = ok.Forward(x, 0, null);
        var ex = Assert.Throws<ModelCallException>(() => bad.Forward(x, 0, null));
        Assert.Contains("returned shape []", ex.Message);
        Assert.Equal("delegate:bad", ex.Identity);
    }
}
