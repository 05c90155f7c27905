using System.Collections.Immutable;

namespace Cm.Runtime.Models.Safetensors;

/// <summary>The element types Cm converts to float32 on load.</summary>
public enum SafetensorsDtype
{
    /// <summary>IEEE float32.</summary>
    F32,
    /// <summary>IEEE float16 (the Hub's <c>.fp16.safetensors</c> variants).</summary>
    F16,
    /// <summary>bfloat16 (the top 16 bits of a float32).</summary>
    BF16,
}

/// <summary>One tensor of a safetensors header; offsets are absolute file positions, already checked against the file.</summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDtype Dtype, ImmutableArray<long> Shape, long Begin, long End)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public long Count => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>Bytes per element.</summary>
    public int ElementSize => Dtype == SafetensorsDtype.F32 ? 4 : 2;

    /// <summary>The shape as diffusers prints it.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
