using Cm.Runtime.Models.Unet;
using Cm.Tests.Golden;
using Cm.Tests.Runtime;
using TorchSharp;
using Xunit;

namespace Cm.Tests.Unet;

/// <summary>
/// Cm's UNet2DModel against diffusers' on every forward case of <c>shared/golden/unet</c>: the output and every
/// recorded activation (walked in execution order, so the first departing module is named) within the README's
/// tolerance, on 1 and 2 libtorch threads.
/// </summary>
[Collection(TorchThreads.Name)]
public sealed class UnetParityTests
{
    public static TheoryData<string, int> Rows()
    {
        var data = new TheoryData<string, int>();
        foreach (var id in UnetGolden.CaseIds())
            foreach (var threads in new[] { 1, 2 })
                data.Add(id, threads);
        return data;
    }

    [Fact]
    public void Every_golden_config_is_covered()
    {
        // Guards the discovery: the three README configs must be found, each with cases.
        var files = UnetGolden.ForwardFiles().ToArray();
        Assert.Contains("imagenet64_tiny.json", files);
        Assert.Contains("lsun256_tiny.json", files);
        Assert.Contains("cond_default_l1_nonsquare.json", files);
        Assert.True(UnetGolden.CaseIds().Count() >= 6);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Output_and_every_activation_match_diffusers(string row, int threads)
    {
        RuntimeFixtures.RequireTorch();
        var (root, c) = UnetGolden.Case(row);
        using var model = UnetGolden.LoadModel(root);
        var inputs = c["inputs"]!;
        using var x = UnetGolden.Tensor(Encoded.Parse(inputs["sample"]));
        using var t = UnetGolden.Tensor(Encoded.Parse(inputs["timestep"]));
        using var labels = inputs["class_labels"] is { } l
            ? torch.tensor(l["values"]!.AsArray().Select(v => (long)v!).ToArray(), dtype: torch.int64)
            : null;

        var recorded = new Dictionary<string, float[]>();
        float[] output;
        using (TorchThreads.Use(threads))
        using (torch.no_grad())
        {
            using var y = model.Network.Run(x, t, labels, (name, value) => recorded[name] = UnetGolden.Floats(value));
            output = UnetGolden.Floats(y);
        }

        var id = (string)c["id"]!;
        foreach (var entry in c["activations_in_file"]!.AsArray())
        {
            var name = (string)entry![0]!;
            Assert.True(recorded.ContainsKey(name), $"{id}: Cm's UNet reported no activation '{name}'");
            UnetGolden.AssertClose(UnetGolden.Activation(root, id, name), recorded[name], $"{id} {name} ({threads} threads)");
        }
        foreach (var (name, value) in c["intermediates"]!.AsObject())
            UnetGolden.AssertClose(Encoded.Parse(value).F32(), recorded[name], $"{id} intermediate {name}");
        UnetGolden.AssertClose(Encoded.Parse(c["output"]).F32(), output, $"{id} output ({threads} threads)");
    }

    /// <summary>Cases whose batch shares one timestep (the IModel convention passes one t per call).</summary>
    public static TheoryData<string> SingleTimestepRows() => GoldenFiles.Rows(UnetGolden.CaseIds().Where(row =>
        Encoded.Parse(UnetGolden.Case(row).Case["inputs"]!["timestep"]).F32().Distinct().Count() == 1));

    [Fact]
    public void Some_cases_share_one_timestep() => Assert.NotEmpty(SingleTimestepRows());

    [Theory]
    [MemberData(nameof(SingleTimestepRows))]
    public void The_IModel_call_matches_the_golden_output(string row)
    {
        // The sampler's route: Forward(x, t as a double, labels) rounds t to float32 [N] as diffusers' pipeline does.
        RuntimeFixtures.RequireTorch();
        var (root, c) = UnetGolden.Case(row);
        var inputs = c["inputs"]!;
        var ts = Encoded.Parse(inputs["timestep"]).F32();
        using var model = UnetGolden.LoadModel(root);
        using var x = UnetGolden.Tensor(Encoded.Parse(inputs["sample"]));
        using var labels = inputs["class_labels"] is { } l
            ? torch.tensor(l["values"]!.AsArray().Select(v => (long)v!).ToArray(), dtype: torch.int64)
            : null;
        using var y = model.Forward(x, ts[0], labels);
        UnetGolden.AssertClose(Encoded.Parse(c["output"]).F32(), UnetGolden.Floats(y), $"{c["id"]} IModel output");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Parameter_names_and_shapes_equal_diffusers(string file)
    {
        RuntimeFixtures.RequireTorch();
        var root = GoldenFiles.Load("unet", file);
        using var model = UnetGolden.LoadModel(root);
        var expected = root["parameters"]!.AsArray()
            .Select(p => $"{p![0]} [{string.Join(", ", p[1]!.AsArray().Select(d => (long)d!))}]").ToArray();
        var actual = model.Network.state_dict().Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}]").ToArray();
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        Assert.Equal((long)root["weights"]!["num_parameters"]!, model.Network.parameters().Sum(p => p.numel()));
    }

    public static TheoryData<string> Files() => GoldenFiles.Rows(UnetGolden.ForwardFiles());
}
