using Cm.Pure.Images;
using Cm.Pure.Editing;
using Cm.Pure.Tensors;
using Cm.Runtime.Errors;
using Cm.Runtime.Images;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Editing;

/// <summary>
/// The edges of an edit's inputs: a decoded PNG as a reference tensor <c>[1, C, H, W]</c> in [−1, 1]
/// (<see cref="ImageConversion.FromByte"/>, diffusers' image processor), and masks from a PNG or a rectangle.
/// Nothing is resized: every size must match, and a mismatch names both sizes.
/// </summary>
public static class EditInputs
{
    /// <summary>
    /// The reference for a model of <paramref name="channels"/> channels and size <paramref name="width"/>×<paramref name="height"/>.
    /// A gray image feeds a 3-channel model only when <paramref name="grayToRgb"/> (colorization: the gray value
    /// in every channel); an RGB image never feeds a 1-channel model.
    /// </summary>
    public static Fin<Tensor<float>> Reference(PngImage img, int channels, int width, int height, bool grayToRgb)
    {
        if (img.Width != width || img.Height != height)
            return FinFail<Tensor<float>>(new ImageSizeMismatch(img.Path, img.Width, img.Height, width, height, "the model's sample size"));
        if (img.Channels == 1 && channels == 3 && !grayToRgb)
            return FinFail<Tensor<float>>(new InvalidImage(img.Path, "is grayscale but the model needs RGB (3 channels); only colorization takes a gray reference"));
        if (img.Channels == 3 && channels == 1)
            return FinFail<Tensor<float>>(new InvalidImage(img.Path, "is RGB but the model has one channel; give a grayscale image"));
        if (channels is not (1 or 3))
            return FinFail<Tensor<float>>(new InvalidImage(img.Path, $"the model has {channels} channels; images feed models with 1 or 3"));
        var plane = width * height;
        return FinSucc(Tensor<float>.Create(Shape.Of(1, channels, height, width), img, (dst, im) =>
        {
            for (var ch = 0; ch < channels; ch++)
                for (var p = 0; p < plane; p++)
                    dst[ch * plane + p] = ImageConversion.FromByte(im.Pixels[p * im.Channels + (im.Channels == 1 ? 0 : ch)]);
        }));
    }

    /// <summary>
    /// A mask from a PNG of the reference's size: a pixel is known (kept from the reference) where it is light
    /// (gray value ≥ 128, or for RGB every channel ≥ 128), generated where it is dark; one mask for all channels.
    /// </summary>
    public static Fin<EditMask> MaskFromPng(PngImage mask, int channels, int width, int height)
    {
        if (mask.Width != width || mask.Height != height)
            return FinFail<EditMask>(new ImageSizeMismatch(mask.Path, mask.Width, mask.Height, width, height, "the reference image"));
        var plane = width * height;
        var known = new bool[channels * plane];
        for (var p = 0; p < plane; p++)
        {
            var light = true;
            for (var c = 0; c < mask.Channels; c++) light &= mask.Pixels[p * mask.Channels + c] >= 128;
            for (var ch = 0; ch < channels; ch++) known[ch * plane + p] = light;
        }
        return EditMask.FromKnown(Shape.Of(channels, height, width), known);
    }

    /// <summary>
    /// A mask that generates the rectangle at column <paramref name="x"/>, row <paramref name="y"/> of size
    /// <paramref name="w"/>×<paramref name="h"/> and keeps everything else; the rectangle must lie inside the image.
    /// </summary>
    public static Fin<EditMask> MaskFromRect(int x, int y, int w, int h, int channels, int width, int height)
    {
        if (w < 1 || h < 1 || x < 0 || y < 0 || x + w > width || y + h > height)
            return FinFail<EditMask>(new Cm.Pure.Errors.InvalidMask(
                $"the rectangle x={x}, y={y}, w={w}, h={h} must be non-empty and lie inside the {width}x{height} image"));
        var plane = width * height;
        var known = new bool[channels * plane];
        for (var ch = 0; ch < channels; ch++)
            for (var r = 0; r < height; r++)
                for (var c = 0; c < width; c++)
                    known[ch * plane + r * width + c] = !(r >= y && r < y + h && c >= x && c < x + w);
        return EditMask.FromKnown(Shape.Of(channels, height, width), known);
    }
}
