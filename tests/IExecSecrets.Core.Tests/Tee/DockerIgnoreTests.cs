using IExecSecrets.Tests.Shared;

namespace IExecSecrets.Core.Tests.Tee;

/// <summary>
/// .dockerignore rules as Docker applies them (moby patternmatcher/ignorefile and the CLI's archive walk). The same
/// rules are checked against the real docker CLI, file by file, in the Enclave tests (DockerIgnoreParityTests).
/// </summary>
public sealed class DockerIgnoreTests
{
    public static TheoryData<string, string, bool> Cases => DockerIgnoreCases.All;

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
