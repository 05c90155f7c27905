using System.Security.Cryptography;
using Cm.Runtime.Errors;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Files;

/// <summary>SHA-256 of a file, streamed (constant memory whatever the size): the digest shard manifests record.</summary>
public static class FileHash
{
    /// <summary>Lowercase hex SHA-256 of the file's bytes and its length.</summary>
    public static Fin<(string Sha256, long Bytes)> Sha256(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var digest = SHA256.HashData(stream);
            return FinSucc((Convert.ToHexStringLower(digest), stream.Length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FinFail<(string, long)>(new FileUnreadable(path, e.Message));
        }
    }
}
