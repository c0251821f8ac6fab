using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Tests;

/// <summary>Reads the repository's docs/*.md: the tests check that the docs quote the code's real behaviour.</summary>
internal static partial class DocsFile
{
    /// <summary>The fenced code blocks of docs/<paramref name="name"/> preceded by <c>&lt;!-- kind: key --&gt;</c>.</summary>
    public static Dictionary<string, string> Blocks(string name, string kind, [CallerFilePath] string caller = "")
    {
        var text = File.ReadAllText(PathOf(name, caller)).ReplaceLineEndings("\n");
        var blocks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in DocsBlock().Matches(text))
        {
            if (match.Groups["kind"].Value == kind)
            {
                blocks.Add(match.Groups["key"].Value, match.Groups["body"].Value);
            }
        }

        return blocks;
    }

    [GeneratedRegex(@"<!-- (?<kind>[a-z-]+): (?<key>[^ ]+) -->\n```[a-z]*\n(?<body>.*?\n)```", RegexOptions.Singleline)]
    private static partial Regex DocsBlock();

    /// <summary>The path of docs/<paramref name="name"/>, found above the test output or the calling source file.</summary>
    public static string PathOf(string name, [CallerFilePath] string caller = "")
    {
        var starts = new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(caller) ?? "" };
        foreach (var start in starts.Where(s => s.Length > 0))
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = System.IO.Path.Combine(directory.FullName, "docs", name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        Assert.Fail($"docs/{name} not found in any folder above {AppContext.BaseDirectory} or {caller}");
        return "";
    }
}
