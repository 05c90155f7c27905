using System.Security.Cryptography;
using Cm.Runtime.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Attestations;

/// <summary>The SHA-256 of a file's bytes, streamed (a trace may be gigabytes).</summary>
public static class FileDigest
{
    /// <summary>Lowercase hex SHA-256 of the file at <paramref name="path"/>.</summary>
    public static Fin<string> Sha256(string path)
    {
        try
        {
            if (!File.Exists(path)) return FinFail<string>(new FileUnreadable(path, Directory.Exists(path) ? "it is a folder, not a file" : "no such file"));
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return FinSucc(Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<string>(new FileUnreadable(path, e.Message));
        }
    }
}
