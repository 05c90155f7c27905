using Cm.Pure.Errors;
using LanguageExt;

namespace Cm.Runtime.Errors;

/// <summary>
/// Strict loading failed: the weight file and the network built from the config disagree. Every missing,
/// unexpected and wrongly shaped tensor is listed at once, so one look tells whether the config or the file is wrong.
/// </summary>
public sealed record WeightsMismatch(string Path, Arr<string> Missing, Arr<string> Unexpected, Arr<string> WrongShape, string Hint)
    : CmError(Describe(Path, Missing, Unexpected, WrongShape, Hint), ErrorKind.InvalidInput, 1611)
{
    private static string Describe(string path, Arr<string> missing, Arr<string> unexpected, Arr<string> wrong, string hint)
    {
        static string List(string what, Arr<string> xs) =>
            xs.IsEmpty ? "" : $"\n  {what} ({xs.Count}): " + string.Join(", ", xs.Take(20)) + (xs.Count > 20 ? $", … ({xs.Count - 20} more)" : "");
        return $"weights '{path}' do not fit the network built from its config:" +
               List("missing", missing) + List("unexpected", unexpected) + List("wrong shape", wrong) +
               (hint.Length > 0 ? "\n  " + hint : "");
    }
}
