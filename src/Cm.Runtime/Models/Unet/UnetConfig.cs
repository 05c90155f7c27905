using System.Collections.Immutable;

namespace Cm.Runtime.Models.Unet;

/// <summary>The down-block types of the consistency checkpoints (diffusers' class names).</summary>
public enum DownBlockKind
{
    /// <summary><c>ResnetDownsampleBlock2D</c>: resnets, then a resnet downsampler.</summary>
    ResnetDownsample,
    /// <summary><c>AttnDownBlock2D</c> with <c>downsample_type</c> "resnet".</summary>
    Attention,
}

/// <summary>The up-block types of the consistency checkpoints.</summary>
public enum UpBlockKind
{
    /// <summary><c>ResnetUpsampleBlock2D</c>: resnets, then a resnet upsampler.</summary>
    ResnetUpsample,
    /// <summary><c>AttnUpBlock2D</c> with <c>upsample_type</c> "resnet".</summary>
    Attention,
}

/// <summary>How <c>ResnetBlock2D</c> injects the time embedding (<c>resnet_time_scale_shift</c>).</summary>
public enum TimeShift
{
    /// <summary><c>"default"</c>: <c>norm2(h + proj(emb))</c>.</summary>
    Default,
    /// <summary><c>"scale_shift"</c>: <c>norm2(h)·(1 + scale) + shift</c> (Dhariwal &amp; Nichol 2021, AdaGN).</summary>
    ScaleShift,
}

/// <summary>
/// A <c>UNet2DModel</c> config Cm can build exactly, produced only by <see cref="UnetConfigJson.Parse"/>: every
/// field has a supported value and every channel count fits its GroupNorm and attention heads.
/// </summary>
/// <param name="SampleHeight">Training resolution (height) from <c>sample_size</c>; 0 when the file has none.</param>
/// <param name="SampleWidth">Training resolution (width).</param>
/// <param name="InChannels">Input channels.</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="CenterInputSample">Whether the input is mapped to <c>2x − 1</c> first.</param>
/// <param name="FlipSinToCos">Whether the sinusoidal embedding is <c>[cos, sin]</c> (true) or <c>[sin, cos]</c>.</param>
/// <param name="FreqShift">The <c>downscale_freq_shift</c> of the sinusoidal embedding.</param>
/// <param name="TimeEmbedDim">Width of the time embedding (<c>time_embedding_dim</c> or 4·C0).</param>
/// <param name="Down">Down-block types, one per level.</param>
/// <param name="Up">Up-block types, one per level.</param>
/// <param name="Channels">block_out_channels.</param>
/// <param name="LayersPerBlock">Resnets per down block (up blocks have one more).</param>
/// <param name="MidScale">mid_block_scale_factor: the mid block's residual divisor.</param>
/// <param name="HeadDim">attention_head_dim; 0 means one head as wide as the channels (diffusers' null).</param>
/// <param name="Groups">norm_num_groups.</param>
/// <param name="MidAttentionGroups">GroupNorm groups of the mid-block attention, 0 for none (the attn_norm_num_groups rule).</param>
/// <param name="NormEps">GroupNorm epsilon.</param>
/// <param name="Shift">resnet_time_scale_shift.</param>
/// <param name="MidAttention">add_attention: whether the mid block has its attention.</param>
/// <param name="ClassCount">num_class_embeds; 0 for unconditional models.</param>
public sealed record UnetConfig(
    int SampleHeight, int SampleWidth, int InChannels, int OutChannels, bool CenterInputSample,
    bool FlipSinToCos, double FreqShift, int TimeEmbedDim,
    ImmutableArray<DownBlockKind> Down, ImmutableArray<UpBlockKind> Up, ImmutableArray<int> Channels,
    int LayersPerBlock, double MidScale, int HeadDim, int Groups, int MidAttentionGroups, double NormEps,
    TimeShift Shift, bool MidAttention, int ClassCount)
{
    /// <summary>Number of resolution levels.</summary>
    public int Levels => Channels.Length;

    /// <summary>H and W must each be divisible by this (one halving per level but the last).</summary>
    public int SizeMultiple => 1 << (Levels - 1);

    /// <summary>Attention heads for a block of <paramref name="channels"/> channels (diffusers: channels // head_dim).</summary>
    public int HeadsFor(int channels) => HeadDim == 0 ? 1 : channels / HeadDim;

    /// <summary>Per-head width for a block of <paramref name="channels"/> channels.</summary>
    public int HeadWidthFor(int channels) => HeadDim == 0 ? channels : HeadDim;
}
