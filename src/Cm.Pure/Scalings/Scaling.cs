namespace Cm.Pure.Scalings;

/// <summary>The pair (c_skip, c_out) of the parameterisation f(x, σ) = c_skip(σ)·x + c_out(σ)·F(x, σ).</summary>
public readonly record struct Scaling<T>(T CSkip, T COut);
