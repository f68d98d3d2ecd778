using System.Formats.Tar;

namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// The build context the module sends (<see cref="BuildContextArchive"/>, what Build-IExecTeeImage builds from) holds
/// exactly the files the real <c>docker</c> CLI sends for the same folder and <c>.dockerignore</c> (issue 7, item 6).
/// Each scenario folder is built twice on the same engine, by <c>docker build</c> with the classic builder and by the
/// module through the Engine API, into a FROM-scratch image that copies the whole context to /ctx; the file lists of
/// both images (read back with <c>docker create</c> + <c>docker export</c>) must be equal, and the files each scenario
/// must keep out (keys, .env files) must be absent.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class DockerIgnoreParityTests(DockerFixture docker)
{
    private static readonly string[] Tree =
    [
        "app.js", "package.json", "enclave-key.pem", ".env", ".env.production", "config/.env.local", "config/settings.json",
        "src/index.js", "src/lib/util.js", "src/lib/cert.pem", "src/lib/keep.pem", "src/lib/deep/inner.pem",
        "secrets/private.pem", "secrets/public.pem", "secrets/readme.md", "docs/a.md", "docs/b.txt", "docs/sub/c.md",
        "logs/x.log", "build/out/bin.o", "a[b].txt", "b.txt", "ab.txt", "node_modules/m/index.js", "x/y/z/.env.test",
    ];

    public static TheoryData<string, string, string[], string[]> Scenarios => new()
    {
        {
            "keys-and-env",
            "# keys and environment files never leave the machine\n**/*.pem\n.env*\n**/.env*\n!src/lib/keep.pem\nnode_modules\nlogs/\n/build\n",
            ["enclave-key.pem", ".env", ".env.production", "config/.env.local", "secrets/private.pem", "src/lib/cert.pem", "src/lib/deep/inner.pem", "x/y/z/.env.test", "node_modules/m/index.js", "logs/x.log"],
            ["src/lib/keep.pem", "app.js", "config/settings.json", "secrets/readme.md"]
        },
        {
            "allow-list",
            "*\n!app.js\n!src\nsrc/**/*.pem\n!secrets/public.pem\n!**/*.md\n",
            // secrets/ is entered for the literal exception, so "!**/*.md" re-includes its readme; docs/ is never entered.
            ["enclave-key.pem", ".env", "src/lib/cert.pem", "secrets/private.pem", "docs/a.md"],
            ["app.js", "src/index.js", "src/lib/util.js", "secrets/public.pem", "secrets/readme.md"]
        },
        {
            "classes-and-build-files",
            "docs/*.md\n!docs/a.md\n?.txt\n[ab]?.txt\na\\[b\\].txt\nDockerfile\n.dockerignore\nsrc/lib\n!src/lib/util.js\n.env*\n*.pem\n",
            ["b.txt", "ab.txt", "a[b].txt", "src/lib/cert.pem", ".env", "enclave-key.pem"],
            ["docs/a.md", "docs/b.txt", "docs/sub/c.md", "src/lib/util.js", "secrets/private.pem"]
        },
        {
            "everything-but",
            "**\n!Dockerfile\n!src/**\nsrc/**/*.pem\n",
            ["app.js", "secrets/public.pem", ".env", "src/lib/keep.pem"],
            ["src/index.js", "src/lib/util.js"]
        },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task BuildContext_HoldsTheFilesTheDockerCliSends(string name, string dockerignore, string[] absent, string[] present)
    {
        var folder = RepoPaths.NewTempFolder("dockerignore-" + name);
        foreach (var file in Tree)
        {
            var path = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), "FROM scratch\nCOPY . /ctx/\n");
        File.WriteAllText(Path.Combine(folder, ".dockerignore"), dockerignore);
        var cliTag = $"iexecsecrets-test/dockerignore-cli-{name}:1";
        var moduleTag = $"iexecsecrets-test/dockerignore-module-{name}:1";

        var build = Docker(["build", "-q", "-t", cliTag, folder], buildKit: false);
        Assert.True(build.ExitCode == 0, build.Error);
        using (var engine = await DockerEngine.ConnectAsync(docker.DockerHost, default))
        using (var context = BuildContextArchive.Create(folder))
        {
            await engine.BuildImageAsync(context, moduleTag, null, null, default);
        }

        var byCli = FilesIn(cliTag);
        var byModule = FilesIn(moduleTag);

        Assert.NotEmpty(byCli);
        Assert.Equal(byCli, byModule);
        foreach (var file in absent) Assert.DoesNotContain(file, byModule);
        foreach (var file in present) Assert.Contains(file, byModule);
    }

    public static TheoryData<string> TableContents()
    {
        var data = new TheoryData<string>();
        foreach (var content in IExecSecrets.Tests.Shared.DockerIgnoreCases.All.Select(row => (string)row[0]).Distinct()) data.Add(content);
        return data;
    }

    /// <summary>
    /// Every row of the Core pattern table (DockerIgnoreTests.Matches_FollowsDockerRules) holds for the real docker CLI:
    /// the rows sharing one .dockerignore are built as one context, and a path is excluded exactly when the CLI left it
    /// out of the image. With the Core test (module = table) this makes the table itself Docker's behaviour.
    /// </summary>
    [Theory]
    [MemberData(nameof(TableContents))]
    public void PatternTable_AgreesWithTheDockerCli(string dockerignore)
    {
        var rows = IExecSecrets.Tests.Shared.DockerIgnoreCases.All
            .Select(row => ((string)row[0], (string)row[1], (bool)row[2]))
            .Where(row => row.Item1 == dockerignore && row.Item2 != "/")
            .ToList();
        var folder = RepoPaths.NewTempFolder("dockerignore-table");
        foreach (var (_, path, _) in rows)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllText(Path.Combine(folder, path), path);
        }
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), "FROM scratch\nCOPY . /ctx/\n");
        File.WriteAllText(Path.Combine(folder, ".dockerignore"), dockerignore);
        var tag = $"iexecsecrets-test/dockerignore-table:{Guid.NewGuid():N}";
        try
        {
            var build = Docker(["build", "-q", "-t", tag, folder], buildKit: false);
            Assert.True(build.ExitCode == 0, build.Error);
            var sent = FilesIn(tag);

            foreach (var (_, path, excluded) in rows)
            {
                Assert.True(excluded != sent.Contains(path), $"{path}: the docker CLI {(sent.Contains(path) ? "sent" : "left out")} it");
            }
        }
        finally
        {
            Docker(["rmi", "-f", tag]);
        }
    }

    /// <summary>The regular files under /ctx of <paramref name="image"/>, relative to it, sorted.</summary>
    private List<string> FilesIn(string image)
    {
        var create = Docker(["create", image, "/none"]);
        Assert.True(create.ExitCode == 0, create.Error);
        var container = create.Output.Trim();
        try
        {
            var start = Start(["export", container]);
            var files = new List<string>();
            using (var reader = new TarReader(start.StandardOutput.BaseStream))
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.Name.StartsWith("ctx/", StringComparison.Ordinal))
                    {
                        files.Add(entry.Name["ctx/".Length..]);
                    }
                }
            }
            start.WaitForExit();
            Assert.Equal(0, start.ExitCode);
            files.Sort(StringComparer.Ordinal);
            return files;
        }
        finally
        {
            Docker(["rm", "-f", container]);
        }
    }

    private (int ExitCode, string Output, string Error) Docker(string[] arguments, bool buildKit = true)
    {
        using var process = Start(arguments, buildKit);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    private Process Start(string[] arguments, bool buildKit = true)
    {
        var start = new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOCKER_HOST"] = docker.DockerHost;
        // The classic builder: the one Build-IExecTeeImage drives through the Engine API.
        if (!buildKit) start.Environment["DOCKER_BUILDKIT"] = "0";
        return Process.Start(start)!;
    }
}
