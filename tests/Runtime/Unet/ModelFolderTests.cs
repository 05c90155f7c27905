using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cm.Pure.Schedules;
using Cm.Pure.Tensors;
using Cm.Pure.Traces;
using Cm.Runtime.Devices;
using Cm.Runtime.Errors;
using Cm.Runtime.Models.Unet;
using Cm.Runtime.Sampling;
using Cm.Tests.Golden;
using Cm.Tests.Runtime;
using LanguageExt;
using TorchSharp;
using Xunit;
using static LanguageExt.Prelude;

namespace Cm.Tests.Unet;

/// <summary>
/// The golden model folder (laid out like openai/diffusers-cd_imagenet64_l2) loaded by <see cref="ModelFolder"/>
/// and sampled by Cm's pipeline from the seed: schedule and noise bit for bit, every model output and sample
/// within the README's tolerance (golden <c>pipeline_cd_tiny_cond_2step.json</c>).
/// </summary>
[Collection(TorchThreads.Name)]
public sealed class ModelFolderTests
{
    private static string Folder => UnetGolden.Dir("pipelines", "diffusers-cd_tiny_cond");
    private static JsonNode Run => GoldenFiles.Load("unet", "pipeline_cd_tiny_cond_2step.json");

    private static ModelFolder Load(string folder) =>
        ModelFolder.Load(folder, torch.CPU).Match(f => f, e => throw new Xunit.Sdk.XunitException(e.Message));

    [Fact]
    public void The_folder_gives_shape_classes_scheduler_and_an_identity_of_the_weights_and_config_hashes()
    {
        RuntimeFixtures.RequireTorch();
        using var folder = Load(Folder);
        var files = Run["folder_files"]!;
        string Sha(string f) => (string)files[$"pipelines/diffusers-cd_tiny_cond/{f}"]!["sha256"]!;
        Assert.Equal(UnetModel.IdentityOf(Sha("unet/diffusion_pytorch_model.safetensors"), Sha("unet/config.json")), folder.Identity);
        Assert.Equal([3, 16, 16], folder.ItemShape);
        Assert.Equal(1000, folder.Classes);
        var s = Run["scheduler_config"]!;
        Assert.Equal((int)s["num_train_timesteps"]!, folder.Scheduler.Valid.Value.num_train_timesteps);
        Assert.Equal((double)s["sigma_min"]!, folder.Scheduler.Valid.Value.sigma_min);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Two_step_run_from_the_seed_matches_diffusers(int threads)
    {
        RuntimeFixtures.RequireTorch();
        var run = Run;
        using var folder = Load(Folder);
        var call = run["call"]!;
        var labels = call["class_labels"]!.AsArray().Select(l => (int)l!).ToImmutableArray();
        var request = new SamplingRequest(
            folder.Scheduler.Valid, TimestepSpec.OfIndices(call["timesteps"]!.AsArray().Select(t => (int)t!).ToArray()),
            (int)call["batch_size"]!, Shape.Of(folder.ItemShape), new NoiseSpec(NoiseKind.Torch, 0),
            new LabelSpec.Given(labels), DeviceSpec.Cpu);
        var observer = new Recorder();
        SamplingResult result;
        using (TorchThreads.Use(threads))
            result = Pipeline.Run(request, folder.Model, observer).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

        var timesteps = Encoded.Parse(run["scheduler_timesteps"]).F64();
        var sigmas = Encoded.Parse(run["scheduler_sigmas"]).F32();
        var steps = run["steps"]!.AsArray();
        Assert.Equal(steps.Count, observer.Steps.Count);
        Bits.Equal(Encoded.Parse(run["initial_sample"]), observer.Steps[0].Sample, "initial sample");
        for (var i = 0; i < steps.Count; i++)
        {
            var golden = steps[i]!;
            var step = observer.Steps[i];
            Bits.Equal(Encoded.Parse(golden["t"]), step.Scalars.Timestep, $"step {i} timestep");
            Assert.Equal(timesteps[i], step.Scalars.Timestep);
            Bits.Equal(Encoded.Parse(golden["sigma"]), step.Scalars.Sigma, $"step {i} sigma");
            Assert.Equal(sigmas[i], step.Scalars.Sigma);
            var noise = step.Noise.Match(n => n, () => throw new Xunit.Sdk.XunitException($"step {i} drew no noise"));
            Bits.Equal(Encoded.Parse(golden["noise"]), noise, $"step {i} noise");
            UnetGolden.AssertClose(Encoded.Parse(golden["model_output"]).F32(), step.ModelOutput.Data, $"step {i} model_output ({threads} threads)");
            UnetGolden.AssertClose(Encoded.Parse(golden["prev_sample"]).F32(), step.NextSample.Data, $"step {i} prev_sample ({threads} threads)");
        }
        UnetGolden.AssertClose(Encoded.Parse(run["final_sample"]).F32(), result.Samples.Data, $"final sample ({threads} threads)");
        Assert.Equal(folder.Identity, result.Header.Model);
    }

    [Fact]
    public void A_folder_of_another_pipeline_is_an_error_naming_it()
    {
        var dir = LinkedCopy();
        try
        {
            File.WriteAllText(Path.Combine(dir, "model_index.json"),
                """{"_class_name": "DDPMPipeline", "scheduler": ["diffusers", "DDPMScheduler"], "unet": ["diffusers", "UNet2DModel"]}""");
            var e = ModelFolder.Load(dir, torch.CPU).Match(_ => throw new Xunit.Sdk.XunitException("expected an error"), e => e);
            Assert.Equal("DDPMPipeline", Assert.IsType<UnsupportedPipeline>(e).ClassName);
            Assert.Contains("DDPMPipeline", e.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_folder_with_only_a_pickle_says_how_to_get_the_safetensors_file()
    {
        var dir = LinkedCopy();
        try
        {
            File.Delete(Path.Combine(dir, "unet", ModelFolder.WeightsFile));
            File.WriteAllBytes(Path.Combine(dir, "unet", "diffusion_pytorch_model.bin"), [(byte)'P', (byte)'K', 3, 4]);
            var e = ModelFolder.Load(dir, torch.CPU).Match(_ => throw new Xunit.Sdk.XunitException("expected an error"), e => e);
            Assert.IsType<PickleCheckpoint>(e);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    // A temporary folder with symbolic links to the golden folder's files (nothing copied), edited per test.
    private static string LinkedCopy()
    {
        var dir = Directory.CreateTempSubdirectory("cm-model-folder-").FullName;
        foreach (var file in Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dir, Path.GetRelativePath(Folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.CreateSymbolicLink(target, file);
        }
        File.Delete(Path.Combine(dir, "model_index.json"));
        File.Copy(Path.Combine(Folder, "model_index.json"), Path.Combine(dir, "model_index.json"));
        return dir;
    }

    private sealed class Recorder : IStepObserver
    {
        public List<StepRecord> Steps { get; } = [];
        public StepValues Values => StepValues.Kept;
        public Fin<Unit> OnStart(RunHeader header) => unit;
        public Fin<Unit> OnStep(StepRecord step)
        {
            Steps.Add(step);
            return unit;
        }
        public Fin<Unit> OnComplete(Tensor<float> finalSample) => unit;
    }
}
