namespace Cm.Cli.Sampling;

/// <summary><c>--noise</c>.</summary>
public enum NoiseOption
{
    /// <summary>PyTorch's CPU generator.</summary>
    Torch,
    /// <summary>Philox4x32-10 streams.</summary>
    Philox,
}

/// <summary><c>--format</c> of <c>cm sample</c>.</summary>
public enum SampleFormat
{
    /// <summary>A labelled grid image.</summary>
    Png,
    /// <summary>The raw float32 samples.</summary>
    Npy,
}
