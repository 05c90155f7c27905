using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Cm.Tests.Docs;

/// <summary>
/// Every C# snippet in README.md, docs/ and the package READMEs compiles as pasted into a fresh console app (the
/// SDK's implicit usings, Cm's packages and their dependencies referenced): its own <c>using</c> lines, every name
/// defined. One theory row per snippet, named by file and line, so a new snippet is checked with no code change.
/// </summary>
public sealed partial class SnippetCompileTests
{
    private static readonly string Root = FindRoot();

    /// <summary>What <c>ImplicitUsings</c> gives a new console app.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    public static TheoryData<string> Snippets()
    {
        var rows = new TheoryData<string>();
        foreach (var (file, line, _) in All()) rows.Add($"{file}:{line}");
        return rows;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_compiles_as_pasted(string where)
    {
        var code = All().Single(s => $"{s.File}:{s.Line}" == where).Code;
        var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, parse), CSharpSyntaxTree.ParseText(code, parse, path: where)],
            References(),
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var pe = new MemoryStream();
        var emitted = compilation.Emit(pe);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, $"{where} does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())) + "\n---\n" + code);
    }

    [Fact]
    public void The_documentation_has_snippets_to_check()
    {
        var files = All().Select(s => s.File).Distinct().ToArray();
        Assert.Contains("README.md", files);
        Assert.Contains("docs/runtime.md", files);
    }

    private static IEnumerable<(string File, int Line, string Code)> All()
    {
        var files = new[] { Path.Combine(Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories))
            .Concat(Directory.EnumerateDirectories(Path.Combine(Root, "src")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists))
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var text = File.ReadAllText(path).ReplaceLineEndings("\n");
            foreach (Match m in Fence().Matches(text))
                yield return (Path.GetRelativePath(Root, path).Replace('\\', '/'), text[..m.Index].Count(c => c == '\n') + 1, m.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Fence();

    private static IEnumerable<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll");
        return platform.Concat(local)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .Where(IsManaged)
            .Select(p => MetadataReference.CreateFromFile(p));
    }

    private static bool IsManaged(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Cm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Cm.sln not found above the test binaries.");
    }
}
