namespace Cm.Pure.Traces;

/// <summary>The scalars a step record claims; the verifier recomputes each from the header and compares bits.</summary>
public sealed record TracedScalars(
    double Timestep, float Sigma, float SigmaNext, float SigmaHat, float CSkip, float COut, float InputDivisor, float NoiseScale);
