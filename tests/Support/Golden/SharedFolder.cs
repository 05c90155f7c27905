namespace Cm.Tests.Golden;

/// <summary>
/// Finds the project's reference folder <c>../shared</c> (beside the repository root), which holds
/// the golden vectors. Tests read it in place; nothing from it is copied into the project.
/// </summary>
public static class SharedFolder
{
    private static readonly Lazy<string> Root = new(Locate);

    /// <summary>Absolute path of <c>../shared</c>.</summary>
    public static string Path => Root.Value;

    /// <summary>A path inside the shared folder, e.g. <c>Sub("golden", "diffusers")</c>.</summary>
    public static string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Locate()
    {
        var env = Environment.GetEnvironmentVariable("CM_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return System.IO.Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Cm.sln")))
            {
                var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared"));
                if (Directory.Exists(shared)) return shared;
                throw new DirectoryNotFoundException(
                    $"The golden vectors live in '{shared}' (the folder 'shared' beside the repository), " +
                    "which does not exist. Put the shared folder there or set CM_SHARED to its path.");
            }
        }
        throw new DirectoryNotFoundException("Cm.sln not found above the test binaries; set CM_SHARED to the shared folder.");
    }
}
