using System.Text;
using IExecSecrets.Core.Errors;
using IExecSecrets.Core.Tee;
using Xunit;

namespace IExecSecrets.Core.Tests.Tee;

/// <summary>
/// .dockerignore rules as Docker applies them (moby patternmatcher/ignorefile and the CLI's archive walk). The same
/// rules are checked against the real docker CLI, file by file, in the Enclave tests (DockerIgnoreParityTests).
/// </summary>
public sealed class DockerIgnoreTests
{
    public static TheoryData<string, string, bool> Cases => new()
    {
        // .dockerignore content, path in the context, excluded?
        { "*.pem", "key.pem", true },
        { "*.pem", "keys/key.pem", false },                       // '*' stays in one segment
        { "**/*.pem", "key.pem", true },                          // '**/' also matches no folder
        { "**/*.pem", "a/b/key.pem", true },
        { "**/*.pem", "a/key.pem.txt", false },
        { ".env*", ".env", true },
        { ".env*", ".env.local", true },
        { ".env*", "app/.env", false },
        { "**/.env*", "app/config/.env.prod", true },
        { "secrets", "secrets/deep/key", true },                  // a folder excludes its content
        { "secrets/", "secrets/key", true },                      // trailing '/' is cleaned away
        { "/node_modules", "node_modules/x/index.js", true },    // leading '/' is dropped
        { "./build//out/../bin", "build/bin/tool", true },        // the pattern is path-cleaned
        { "a/*/c", "a/b/c", true },
        { "a/*/c", "a/b/d/c", false },
        { "a/**/c", "a/c", true },
        { "a/**/c", "a/b/d/c", true },
        { "foo**", "foobar/x", true },                            // trailing '**' is a plain prefix
        { "**", "any/thing", true },
        { "**/foo", "foo", true },
        { "**/foo", "x/y/foo", true },
        { "**/foo", "xfoo", false },
        { "?.txt", "a.txt", true },
        { "?.txt", "ab.txt", false },
        { "?", "/", false },
        { "[ab].txt", "a.txt", true },
        { "[ab].txt", "c.txt", false },
        { "[a-c]?.log", "bz.log", true },
        { "[^a].txt", "b.txt", true },
        { "[^a].txt", "a.txt", false },
        { "[!a].txt", "!.txt", true },                            // Docker's regexp: '!' is not a negation
        { "[!a].txt", "b.txt", false },
        { @"a\*b", "a*b", true },                                  // escaped '*' is literal
        { @"a\*b", "axb", false },
        { "a.b", "aXb", false },                                  // '.' is literal
        { "a+(b)", "a+(b)", true },
        { "a^b", "a^b", true },
        { "# comment", "# comment", false },                      // a comment line
        { " #x", "#x", true },                                    // '#' after a space is a pattern
        { "*.pem\n!public.pem", "public.pem", false },            // an exception re-includes
        { "*.pem\n!public.pem", "private.pem", true },
        { "!public.pem\n*.pem", "public.pem", true },              // the last match wins
        { "docs\n!docs/keep.md", "docs/keep.md", false },
        { "docs\n!docs/keep.md", "docs/other.md", true },
        { "docs\n!docs/keep.md\ndocs/keep.md", "docs/keep.md", true },
        { "*\n!src\nsrc/*.tmp", "src/a.tmp", true },
        { "*\n!src\nsrc/*.tmp", "src/a.js", false },
        { "\uFEFF*.log", "x.log", true },                         // a BOM is not part of the first pattern
        { "  *.log  \r\n", "x.log", true },                       // spaces and CR trimmed
        { "!  keep.txt\n*", "keep.txt", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_FollowsDockerRules(string content, string path, bool excluded)
    {
        var rules = DockerIgnore.Parse(DockerIgnore.ReadPatterns(Encoding.UTF8.GetBytes(content)));

        Assert.Equal(excluded, rules.Matches(path));
    }

    public static TheoryData<string> Refused => new()
    {
        "[", "[]", "[a", "[a-]", "[-a]", "a\\", "!", "! ", "!/", "[z-a]", "[*]", "[?]", "[[:alpha:]]", @"\d", @"a\.b\w",
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Parse_PatternDockerRefusesOrTurnsIntoSomethingElse_IsInvalidDockerIgnore(string content)
    {
        var error = Assert.Throws<IExecException>(() => DockerIgnore.Parse(DockerIgnore.ReadPatterns(Encoding.UTF8.GetBytes("ok\n" + content))));

        Assert.Equal(ErrorIds.InvalidDockerIgnore, error.ErrorId);
        Assert.Equal(IExecErrorCategory.InvalidData, error.Category);
        Assert.Contains("line 2", error.Message);
    }

    [Theory]
    [InlineData("", ".")]
    [InlineData("a//b/./c/", "a/b/c")]
    [InlineData("a/../../b", "../b")]
    [InlineData("/../x", "/x")]
    [InlineData("./", ".")]
    [InlineData("/", "/")]
    public void CleanPath_IsGoPathClean(string path, string clean) => Assert.Equal(clean, DockerIgnore.CleanPath(path));

    [Fact]
    public void ReadPatterns_NormalisesLikeIgnorefileReadAll()
    {
        var patterns = DockerIgnore.ReadPatterns(Encoding.UTF8.GetBytes("\uFEFF# c\n\n /a/b/ \n! ./c\n!\n"));

        Assert.Equal(new[] { ("a/b", 3), ("!c", 4), ("!", 5) }, patterns);
    }

    [Fact]
    public void SelectEntries_KeepsDockerfileAndDockerignore_AndEntersAnExcludedFolderOnlyForALiteralException()
    {
        var root = Directory.CreateTempSubdirectory("dockerignore-").FullName;
        try
        {
            foreach (var file in new[] { "Dockerfile", "app.js", "key.pem", ".env", "secrets/private.pem", "secrets/public.pem", "secrets/notes.txt", "deep/x/key.pem", "deep/x/keep.md" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
                File.WriteAllText(Path.Combine(root, file), file);
            }
            File.WriteAllText(Path.Combine(root, ".dockerignore"), "*\n!app.js\n!secrets/public.pem\n!**/keep.md\n");

            var entries = DockerIgnore.ForContext(root).SelectEntries(root).ToList();

            // "deep" is excluded and "!**/keep.md" is no literal path inside it: Docker never enters it.
            Assert.Equal(new[] { ".dockerignore", "Dockerfile", "app.js", "secrets/public.pem" }, entries);
            Assert.Equal(new[] { "*", "!app.js", "!secrets/public.pem", "!**/keep.md", "!.dockerignore", "!Dockerfile" }, DockerIgnore.ForContext(root).Patterns);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void BuildContextArchive_LeavesOutPemAndEnvFiles()
    {
        var root = Directory.CreateTempSubdirectory("dockerignore-").FullName;
        try
        {
            foreach (var file in new[] { "Dockerfile", "app.js", "enclave-key.pem", ".env", ".env.local", "src/a.js", "src/certs/tls.pem" })
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, file))!);
                File.WriteAllText(Path.Combine(root, file), file);
            }
            File.WriteAllText(Path.Combine(root, ".dockerignore"), "**/*.pem\n.env*\n");

            using var tar = BuildContextArchive.Create(root);
            var names = new List<string>();
            using (var reader = new System.Formats.Tar.TarReader(tar))
            {
                while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
            }

            Assert.Equal(new[] { ".dockerignore", "Dockerfile", "app.js", "src", "src/a.js", "src/certs" }, names);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void ValidateFolder_RefusesABadDockerignoreBeforeAnyEngine()
    {
        var root = Directory.CreateTempSubdirectory("dockerignore-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "Dockerfile"), "FROM scratch\n");
            File.WriteAllText(Path.Combine(root, ".dockerignore"), "*.pem\n[unclosed\n");

            var error = Assert.Throws<IExecException>(() => BuildContextArchive.ValidateFolder(root));

            Assert.Equal(ErrorIds.InvalidDockerIgnore, error.ErrorId);
            Assert.Equal(Path.Combine(root, ".dockerignore"), error.Target);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
