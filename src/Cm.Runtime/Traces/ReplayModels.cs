using Cm.Pure.Config;
using Cm.Pure.Errors;
using Cm.Pure.Traces;
using Cm.Runtime.Errors;
using Cm.Runtime.Models;
using Cm.Runtime.Models.Analytic;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Traces;

/// <summary>A model bound to a traced run (its labels and shape), evaluated on the calls <see cref="TraceReplay"/> asks for.</summary>
public sealed class ReplayModel(IModel model, long[] shape, torch.Tensor? labels, torch.Device device) : IDisposable
{
    /// <summary>The network's identity.</summary>
    public string Identity => model.Identity;

    /// <summary>Evaluates the model for one replayed step; a model that throws becomes a run failure value.</summary>
    public Fin<float[]> Evaluate(ModelCall call)
    {
        try
        {
            return FinSucc(Forward(call.ScaledSample, call.Step));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return FinFail<float[]>(new ModelCallFailed(1810, $"the model failed on a replayed step: {e.GetType().Name}: {e.Message}"));
        }
    }

    /// <summary>Evaluates the model on a CPU copy of the scaled sample, at the step of <paramref name="step"/>.</summary>
    public float[] Forward(float[] scaled, Cm.Pure.Sampling.StepScalars step)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(scaled, shape).to(device);
        var f = model.Forward(x, step, labels);
        return f.to(torch.float32).cpu().contiguous().data<float>().ToArray();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        labels?.Dispose();
        (model as IDisposable)?.Dispose();
    }
}

/// <summary>A run's model identity mismatches the model given for replay.</summary>
public sealed record ModelMismatch(string Traced, string Given)
    : CmError($"the trace was made with model '{Traced}', but the model given is '{Given}': replay with the same model", ErrorKind.InvalidInput, 1401);

/// <summary>Builds the model a trace header names (analytic models by identity, TorchScript files from a path).</summary>
public static class ReplayModels
{
    /// <summary>
    /// The model for replaying <paramref name="header"/>: an analytic model is rebuilt from its identity;
    /// any other model needs <paramref name="modelPath"/> (an analytic name <c>analytic:NAME</c> or a
    /// TorchScript file). The identity of the model built must equal the traced one.
    /// </summary>
    public static Fin<ReplayModel> For(RunHeader header, Option<string> modelPath, torch.Device device)
    {
        var traced = header.Model;
        var config = ConfigValidation.ValidateFin(header.Config);
        var shape = header.SampleShape.Dims.Select(d => (long)d).ToArray();
        var spec = modelPath.IfNone(() => traced.StartsWith("analytic:", StringComparison.Ordinal) ? AnalyticName(traced) : "");
        if (spec.Length == 0)
            return FinFail<ReplayModel>(new ModelMismatch(traced, "(none: give --model PATH for a model that is not analytic)"));
        var model = spec.StartsWith("analytic:", StringComparison.OrdinalIgnoreCase)
            ? config.Bind(c => AnalyticModels.TryCreate(spec["analytic:".Length..], c, device))
            : TorchScriptModel.Load(spec, device).Map(m => (IModel)m);
        return model.Bind(m =>
        {
            if (m.Identity != traced)
            {
                (m as IDisposable)?.Dispose();
                return FinFail<ReplayModel>(new ModelMismatch(traced, m.Identity));
            }
            var labels = header.ClassLabels.MatchUnsafe(
                l => torch.tensor(l.Select(v => (long)v).ToArray(), dtype: torch.int64, device: device), () => (torch.Tensor?)null);
            return FinSucc(new ReplayModel(m, shape, labels, device));
        });
    }

    private static string AnalyticName(string identity)
    {
        var open = identity.IndexOf('(');
        return open < 0 ? identity : identity[..open];
    }
}
