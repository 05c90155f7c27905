namespace Cm.Pure.Editing;

/// <summary>
/// How an NCHW image is cut into the vectors a basis acts on. Each vector's elements are gathered in a fixed
/// order; that order is part of the bit-exact recipe (golden editing README).
/// </summary>
public abstract record Grouping
{
    private Grouping() { }

    /// <summary>One vector per pixel: its C channel values, in channel order (colorization, n = C).</summary>
    public sealed record PixelChannels : Grouping;

    /// <summary>
    /// One vector per k×k patch of one channel: element d = k·r + c is pixel (k·i + r, k·j + c) of patch
    /// (i, j) (super-resolution, n = k²; openai's permuted reshape with k = 8).
    /// </summary>
    public sealed record ChannelPatches(int Size) : Grouping;

    /// <summary>The vector length for a [C, H, W] item.</summary>
    public int Length(int channels) => this switch
    {
        ChannelPatches p => p.Size * p.Size,
        _ => channels,
    };

    /// <summary>
    /// Writes the flat indices (into one [C, H, W] item) of every vector, vector after vector, into
    /// <paramref name="index"/> (length C·H·W). Returns the vector length.
    /// </summary>
    internal int Gather(int channels, int height, int width, Span<int> index)
    {
        var plane = height * width;
        switch (this)
        {
            case ChannelPatches p:
            {
                var k = p.Size;
                var o = 0;
                for (var ch = 0; ch < channels; ch++)
                    for (var i = 0; i < height / k; i++)
                        for (var j = 0; j < width / k; j++)
                            for (var r = 0; r < k; r++)
                                for (var c = 0; c < k; c++)
                                    index[o++] = ch * plane + (k * i + r) * width + k * j + c;
                return k * k;
            }
            default:
            {
                var o = 0;
                for (var px = 0; px < plane; px++)
                    for (var ch = 0; ch < channels; ch++)
                        index[o++] = ch * plane + px;
                return channels;
            }
        }
    }
}
