using System.Security;

namespace IExecSecrets.Enclave.Tests;

/// <summary>
/// Invoke-IExecEnclaveApp against hostile local apps (issue 7, item 6): an app that echoes its secrets on stdout and
/// stderr in every quoted form its language has and then fails must not get any of them into a stream, an error, an
/// exception, the output object or the log; and an app that dumps its environment must see none of this process's
/// variables unless -InheritEnvironment asks for them.
/// </summary>
public sealed class LocalRunIsolationTests
{
    // Quotes, a backslash, a tab and non-ASCII make Python's repr, util.inspect and JSON.stringify escape them.
    private const string RequesterCanary = "canary-x-5b1e'q\"\\\t\u00e9";
    private const string AppCanary = "canary-app-9d4c\"\u20ac";
    private const string EnvCanary = "canary-env-3f7a";
    // The part of each canary that survives any escaping (util.inspect, JSON), with a letter that is not hex before it:
    // four hex digits alone turned up inside a temp folder's random name (echo-out-82d5b1e9…) and failed a clean run.
    private static readonly string[] Fragments = ["x-5b1e", "app-9d4c", "env-3f7a"];

    private const string EchoingPython = """
        import os, sys, json
        x = os.environ["IEXEC_REQUESTER_SECRET_1"]
        dev = os.environ["IEXEC_APP_DEVELOPER_SECRET"]
        extra = os.environ["EXTRA_TOKEN"]
        print("developer secret:", dev, "extra:", extra)
        print(repr(dev), json.dumps(dev), json.dumps(x, ensure_ascii=False), ascii(x), file=sys.stderr)
        int(x)
        """;

    private const string EchoingNode = """
        const util = require("util");
        const x = process.env.IEXEC_REQUESTER_SECRET_1;
        const dev = process.env.IEXEC_APP_DEVELOPER_SECRET;
        console.log("developer secret:", dev, "extra:", process.env.EXTRA_TOKEN);
        console.error(util.inspect(x), JSON.stringify({ dev, x }));
        console.error({ x });
        throw new Error("bad x: " + x);
        """;

    private const string EnvDumpingPython = """
        import os, json
        with open(os.path.join(os.environ["IEXEC_OUT"], "env.json"), "w") as f:
            json.dump(dict(os.environ), f)
        """;

    private const string EnvDumpingNode = """
        const fs = require("fs"), path = require("path");
        fs.writeFileSync(path.join(process.env.IEXEC_OUT, "env.json"), JSON.stringify(process.env));
        """;

    [Theory]
    [InlineData(EnclaveLanguage.Python)]
    [InlineData(EnclaveLanguage.JavaScript)]
    public void InvokeIExecEnclaveApp_AppEchoingItsSecretsAndFailing_LeaksThemNowhere(EnclaveLanguage language)
    {
        var app = WriteApp(language, language == EnclaveLanguage.Python ? EchoingPython : EchoingNode);
        var output = RepoPaths.NewTempFolder("echo-out");
        using var host = new ModuleHost();
        host.Run("Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name x1 -Secret $x -Vault V",
            new Dictionary<string, object?> { ["x"] = RequesterCanary });

        var (runs, errors, everything) = host.RunCapturingEverything(
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; " +
            "Invoke-IExecEnclaveApp -Path $app -AppSecret $dev -Secret @{1='x1'} -Vault V -Environment @{ EXTRA_TOKEN = $extra } -OutputPath $out",
            new Dictionary<string, object?>
            {
                ["app"] = app, ["out"] = output, ["dev"] = Secure(AppCanary), ["extra"] = Secure(EnvCanary),
            });

        // The run really failed on the secret, and what it printed is still there, redacted.
        var run = Assert.IsType<IExecEnclaveRun>(Assert.Single(runs).BaseObject);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal("EnclaveAppFailed,IExecSecrets.Commands.InvokeIExecEnclaveAppCommand", Assert.Single(errors).FullyQualifiedErrorId);
        Assert.Contains("developer secret: *** extra: ***", run.StandardOutput);
        Assert.Contains(language == EnclaveLanguage.Python ? "ValueError" : "Error: bad x: ***", run.StandardError);
        // The message points to the log instead of quoting the app.
        Assert.Contains(run.LogPath!, errors[0].Exception.Message);
        Assert.DoesNotContain("ValueError", errors[0].Exception.Message);
        Assert.Equal(Path.GetFullPath(output) + ".log", run.LogPath);
        var log = File.ReadAllText(run.LogPath!);
        Assert.Contains(language == EnclaveLanguage.Python ? "invalid literal for int()" : "bad x: ***", log);

        foreach (var text in new[] { everything, log, run.StandardOutput, run.StandardError })
        {
            Assert.DoesNotContain(RequesterCanary, text);
            Assert.DoesNotContain(AppCanary, text);
            foreach (var fragment in Fragments) Assert.DoesNotContain(fragment, text);
        }
        foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories))
        {
            foreach (var fragment in Fragments) Assert.DoesNotContain(fragment, File.ReadAllText(file));
        }
    }

    // Issue 13, item 5: what a local app prints reaches the run object, the log and the console; escape sequences
    // (window title, clear screen, hidden text, an overprinting CR) and a secret split by one (TOP ESC[0m SECRET renders
    // as the secret) must arrive cleaned and redacted. Main passed them through raw.
    private const string EscapingPython = """
        import os, sys
        dev = os.environ["IEXEC_APP_DEVELOPER_SECRET"]
        half = len(dev) // 2
        payload = "\x1b]0;pwned\x07\x1b[2J\x1b[8mhidden\x1b[0m\rover\u202eesrever\x9b31m"
        print("out:", payload, dev[:half] + "\x1b[0m" + dev[half:])
        print("err:", payload, file=sys.stderr)
        sys.exit(2)
        """;

    [Fact]
    public void InvokeIExecEnclaveApp_AppPrintingTerminalEscapes_ReachesNoStreamOutputOrLogRawAndItsSplitSecretIsMasked()
    {
        var app = WriteApp(EnclaveLanguage.Python, EscapingPython);
        var output = RepoPaths.NewTempFolder("escape-out");
        using var host = new ModuleHost();

        var (runs, errors, everything) = host.RunCapturingEverything(
            "$VerbosePreference = 'Continue'; Invoke-IExecEnclaveApp -Path $app -AppSecret $dev -OutputPath $out",
            new Dictionary<string, object?> { ["app"] = app, ["out"] = output, ["dev"] = Secure("TOPSECRET-" + EnvCanary) });

        var run = Assert.IsType<IExecEnclaveRun>(Assert.Single(runs).BaseObject);
        Assert.Equal(2, run.ExitCode);
        Assert.Single(errors);
        Assert.Contains("out: ", run.StandardOutput);
        Assert.Contains("hidden", run.StandardOutput);
        Assert.Contains(" ***", run.StandardOutput);
        var log = File.ReadAllText(run.LogPath!);
        foreach (var text in new[] { everything, log, run.StandardOutput, run.StandardError })
        {
            Assert.DoesNotContain(text, c => c is '\u001b' or '\u0007' or '\r' or '\u009b' or '\u202e');
            Assert.DoesNotContain("env-3f7a", text);
        }
    }

    [Theory]
    [InlineData(EnclaveLanguage.Python)]
    [InlineData(EnclaveLanguage.JavaScript)]
    public void InvokeIExecEnclaveApp_AppSeesNoVariableOfThisProcess(EnclaveLanguage language)
    {
        var app = WriteApp(language, language == EnclaveLanguage.Python ? EnvDumpingPython : EnvDumpingNode);
        var parentHome = Environment.GetEnvironmentVariable("HOME");
        Environment.SetEnvironmentVariable("IEXECSECRETS_PARENT_CANARY", EnvCanary);
        try
        {
            using var host = new ModuleHost();
            var minimal = RunAndReadEnvironment(host, app, "");
            var added = RunAndReadEnvironment(host, app, "-Environment @{ LOG_LEVEL = 'debug'; ANSWER = 42 }");
            var inherited = RunAndReadEnvironment(host, app, "-InheritEnvironment");

            Assert.DoesNotContain("IEXECSECRETS_PARENT_CANARY", minimal.Keys);
            Assert.DoesNotContain(minimal, pair => pair.Value.Contains(EnvCanary, StringComparison.Ordinal));
            Assert.NotEqual(parentHome, minimal["HOME"]);
            Assert.False(Directory.Exists(minimal["HOME"]), "the private HOME is removed after the run");
            Assert.Equal("C.UTF-8", minimal["LANG"]);
            // pyenv's python3 shim prepends its own folder; the rest is this process's PATH.
            Assert.EndsWith(Environment.GetEnvironmentVariable("PATH")!, minimal["PATH"], StringComparison.Ordinal);
            Assert.StartsWith(minimal["HOME"], minimal["TMPDIR"], StringComparison.Ordinal);
            Assert.Equal(EnclaveLocalRunner.ZeroTaskId, minimal["IEXEC_TASK_ID"]);
            Assert.DoesNotContain("PSModulePath", minimal.Keys);

            Assert.Equal("debug", added["LOG_LEVEL"]);
            Assert.Equal("42", added["ANSWER"]);
            Assert.DoesNotContain("IEXECSECRETS_PARENT_CANARY", added.Keys);

            // The opt-in really passes the parent's environment: the test above could have failed.
            Assert.Equal(EnvCanary, inherited["IEXECSECRETS_PARENT_CANARY"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IEXECSECRETS_PARENT_CANARY", null);
        }
    }

    [Theory]
    [InlineData("@{ IEXEC_REQUESTER_SECRET_1 = 'x' }")]
    [InlineData("@{ iexec_out = '/tmp' }")]
    [InlineData("@{ 'BAD NAME' = 'x' }")]
    [InlineData("@{ '1ABC' = 'x' }")]
    [InlineData("@{ A = $null }")]
    public void InvokeIExecEnclaveApp_BadEnvironment_FailsBeforeRunning(string environment)
    {
        var app = WriteApp(EnclaveLanguage.Python, EnvDumpingPython);
        var output = RepoPaths.NewTempFolder("env-bad");
        using var host = new ModuleHost();

        var (runs, errors, _, _) = host.Run($"Invoke-IExecEnclaveApp -Path $app -OutputPath $out -Environment {environment}",
            new Dictionary<string, object?> { ["app"] = app, ["out"] = output });

        Assert.Empty(runs);
        Assert.Equal("InvalidEnclaveEnvironment,IExecSecrets.Commands.InvokeIExecEnclaveAppCommand", Assert.Single(errors).FullyQualifiedErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(output));
        Assert.False(File.Exists(output + ".log"));
    }

    private static Dictionary<string, string> RunAndReadEnvironment(ModuleHost host, string app, string parameters)
    {
        var output = RepoPaths.NewTempFolder("env-out");
        var (runs, errors, _, _) = host.Run($"Invoke-IExecEnclaveApp -Path $app -OutputPath $out {parameters}",
            new Dictionary<string, object?> { ["app"] = app, ["out"] = output });
        Assert.Empty(errors);
        Assert.True(Assert.IsType<IExecEnclaveRun>(Assert.Single(runs).BaseObject).Succeeded);
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(output, "env.json")))!;
        return json.ToDictionary(pair => pair.Key, pair => (string)pair.Value!);
    }

    private static string WriteApp(EnclaveLanguage language, string source)
    {
        var folder = RepoPaths.NewTempFolder("hostile-app");
        File.WriteAllText(Path.Combine(folder, EnclaveLanguages.AppFileName(language)), source);
        return folder;
    }

    private static SecureString Secure(string value)
    {
        var secure = new SecureString();
        foreach (var c in value) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}

/// <summary>The same echoing app as a container (Invoke-IExecEnclaveApp -Image): its logs are redacted the same way.</summary>
[Collection(DockerCollection.Name)]
public sealed class LocalImageRunIsolationTests(DockerFixture docker)
{
    [Fact]
    public async Task InvokeIExecEnclaveApp_ImageEchoingItsSecretsAndFailing_LeaksThemNowhere()
    {
        const string requesterCanary = "canary-x-8e2d'\"\\";
        const string appCanary = "canary-app-4c6b\u00e9";
        var context = RepoPaths.NewTempFolder("echo-image");
        File.WriteAllText(Path.Combine(context, "app.js"), """
            const x = process.env.IEXEC_REQUESTER_SECRET_1, dev = process.env.IEXEC_APP_DEVELOPER_SECRET;
            console.log("secrets:", x, dev, JSON.stringify({ x, dev }));
            console.error(require("util").inspect({ x, dev }), Object.keys(process.env).sort().join(","));
            throw new Error("bad x: " + x);
            """);
        File.WriteAllText(Path.Combine(context, "Dockerfile"),
            $"FROM {DockerFixture.NodeBase}\nCOPY app.js /app/app.js\nENTRYPOINT [\"/usr/local/bin/node\", \"/app/app.js\"]\n");
        const string tag = "iexecsecrets-test/echoing-app:1";
        using (var engine = await DockerEngine.ConnectAsync(docker.DockerHost, default))
        using (var tar = BuildContextArchive.Create(context))
        {
            await engine.BuildImageAsync(tar, tag, null, null, default);
        }
        var output = RepoPaths.NewTempFolder("echo-image-out");
        Environment.SetEnvironmentVariable("IEXECSECRETS_PARENT_CANARY", "canary-env-1a9f");
        try
        {
            using var host = new ModuleHost();
            host.Run("Register-SecretVault -ModuleName StandIn -Name V; Set-Secret -Name x1 -Secret $x -Vault V",
                new Dictionary<string, object?> { ["x"] = requesterCanary });
            var secure = new System.Security.SecureString();
            foreach (var c in appCanary) secure.AppendChar(c);

            var (runs, errors, everything) = host.RunCapturingEverything(
                "Invoke-IExecEnclaveApp -Image $image -AppSecret $dev -Secret @{1='x1'} -Vault V -OutputPath $out -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["image"] = tag, ["dev"] = secure, ["out"] = output, ["dockerHost"] = docker.DockerHost });

            var run = Assert.IsType<IExecEnclaveRun>(Assert.Single(runs).BaseObject);
            Assert.NotEqual(0, run.ExitCode);
            Assert.Equal("EnclaveAppFailed,IExecSecrets.Commands.InvokeIExecEnclaveAppCommand", Assert.Single(errors).FullyQualifiedErrorId);
            Assert.Contains("Error: bad x: ***", run.StandardError);
            Assert.DoesNotContain("IEXECSECRETS_PARENT_CANARY", run.StandardError);   // the container never sees this process's variables
            foreach (var text in new[] { everything, File.ReadAllText(run.LogPath!) })
            {
                foreach (var fragment in new[] { "x-8e2d", "app-4c6b" }) Assert.DoesNotContain(fragment, text);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("IEXECSECRETS_PARENT_CANARY", null);
        }
    }
}
