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

    [Fact]
    public void Module_model_passes_t_as_float32_batch_vector()
    {
        RuntimeFixtures.RequireTorch();
        torch.Tensor? seenT = null;
        var probe = new DelegateModel("probe", (x, t, _) => x.clone());
        Assert.Equal("delegate:probe", probe.Identity);

        using var m = new ModuleModel("scale", new Scale());
        Assert.Equal("module:scale", m.Identity);
        using var x = torch.ones(2, 1, 2, 2);
        using var y = m.Forward(x, 2.5, null);
        Assert.Equal(new[] { 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f }, y.data<float>().ToArray());
        Assert.Throws<ModelCallException>(() => m.Forward(x, 1.0, torch.zeros(2, dtype: torch.int64)));

        using var t = ModelConvention.TimestepTensor(x, 0.1);
        seenT = t;
        Assert.Equal(torch.float32, seenT.dtype);
        Assert.Equal(new long[] { 2 }, seenT.shape);
        Assert.Equal(0.1f, seenT[0].item<float>());
    }

    [Fact]
    public void Output_of_the_wrong_shape_is_rejected()
    {
        RuntimeFixtures.RequireTorch();
        var bad = new DelegateModel("bad", (x, _, _) => x.sum());
        using var x = torch.ones(1, 1, 2, 2);
        var ex = Assert.Throws<ModelCallException>(() => bad.Forward(x, 0, null));
        Assert.Contains("returned shape []", ex.Message);
    }
}
