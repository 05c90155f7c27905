using Cm.Runtime.Errors;
using Cm.Runtime.Files;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Cm.Runtime.Configs;

/// <summary>
/// The file edge of <see cref="DiffusersConfigJson"/>: read a <c>scheduler_config.json</c> from disk,
/// or write one atomically without clobbering an existing file unless asked.
/// </summary>
public static class DiffusersConfigFile
{
    /// <summary>The file name diffusers uses.</summary>
    public const string DefaultFileName = "scheduler_config.json";

    /// <summary>Reads and validates a config file; every problem of its content is listed in one error.</summary>
    public static Fin<LoadedConfig> Load(string path) =>
        ReadText(path).Bind(text => DiffusersConfigJson.Parse(text).Match(
            Succ: loaded => FinSucc(loaded),
            Fail: problems => FinFail<LoadedConfig>(new InvalidConfigFile(path, problems.ToArr()))));

    /// <summary>Reads a config file's structure and types, leaving the value rules to the caller (e.g. after overrides).</summary>
    public static Fin<ConfigRead> Decode(string path) =>
        ReadText(path).Bind(text => DiffusersConfigJson.Decode(text).Match(
            Succ: read => FinSucc(read),
            Fail: problems => FinFail<ConfigRead>(new InvalidConfigFile(path, problems.ToArr()))));

    /// <summary>Writes <paramref name="doc"/> atomically; an existing file is replaced only when <paramref name="overwrite"/>.</summary>
    public static Fin<Unit> Save(string path, ConfigDocument doc, bool overwrite) =>
        AtomicFile.WriteText(path, DiffusersConfigJson.Encode(doc), overwrite);

    /// <summary>The whole text of a file, or why it cannot be read.</summary>
    public static Fin<string> ReadText(string path)
    {
        if (Directory.Exists(path)) return FinFail<string>(new FileUnreadable(path, "it is a folder, not a file"));
        if (!File.Exists(path)) return FinFail<string>(new FileUnreadable(path, "no such file; check the path (cm config init writes a default one)"));
        return BoundedRead.Bytes(path, MaxBytes, "scheduler config")
            .Map(bytes => new System.Text.UTF8Encoding(false).GetString(bytes).TrimStart('\uFEFF'));
    }

    /// <summary>
    /// The largest config file read (1 MiB): diffusers' <c>scheduler_config.json</c> is under 1 KB, so a
    /// larger file is the wrong file, refused before it is read.
    /// </summary>
    public const int MaxBytes = 1 << 20;
}
