using Cm.Pure.Errors;

namespace Cm.Runtime.Errors;

/// <summary>An image whose size differs from the one required (the model's, or the reference's for a mask). Cm never resizes silently.</summary>
public sealed record ImageSizeMismatch(string Path, int Width, int Height, int ExpectedWidth, int ExpectedHeight, string Expectation)
    : CmError($"image '{Path}' is {Width}x{Height} (width x height) but {Expectation} is {ExpectedWidth}x{ExpectedHeight}; resize it first (Cm never resizes silently)",
        ErrorKind.InvalidInput, 1511);
