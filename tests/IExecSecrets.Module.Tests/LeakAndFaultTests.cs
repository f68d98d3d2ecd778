using IExecSecrets.DevNet.Sms;

namespace IExecSecrets.Module.Tests;

public sealed class LeakAndFaultTests
{
    private const string Canary = "CANARY-7f3a9c-do-not-leak";

    // Issue 17: each script must reach its own error path (the id proves it: a script that failed earlier, say on a
    // missing variable, would prove nothing about the 409/401/400/413/500/refused handling), and every file written
    // anywhere during the test is searched, not just the dev SMS folders: TMPDIR, HOME and XDG_CONFIG_HOME point into a
    // private folder for the test's duration (the module tests run one at a time), so whatever the module, the engine
    // or the SMS writes lands where it can be read.
    [Fact]
    public async Task Canary_AppearsInNoStreamErrorRecordOrTempFile_OnEveryErrorPath()
    {
        using var sandbox = new EnvironmentSandbox();
        await using var sms = await DevSmsHost.StartAsync();
        using var badRequest = new ScriptedHttpServer().Answer(404, "").Answer(400, ScriptedFailure);
        using var tooLarge = new ScriptedHttpServer().Answer(404, "").Answer(413, ScriptedFailure);
        using var serverError = new ScriptedHttpServer().Answer(404, "").Answer(500, ScriptedFailure);
        var closedPort = LoopbackPorts.Closed();
        using var host = new ModuleHost(location: sandbox.Work);
        host.ConnectTestWallet();
        host.Run("Push-IExecRequesterSecret existing -Value $c -SmsUrl $sms; Push-IExecWeb2Secret existing -Value $c -SmsUrl $sms", Vars(sms)).ThrowIfFailed();
        var scripts = new (string Script, string ErrorId)[]
        {
            ("Push-IExecRequesterSecret existing -Value $c -SmsUrl $sms", "SecretAlreadyExists,IExecSecrets.Commands.PushIExecRequesterSecretCommand"),
            ("Push-IExecWeb2Secret existing -Value $c -SmsUrl $sms", "SecretAlreadyExists,IExecSecrets.Commands.PushIExecWeb2SecretCommand"),
            ("Push-IExecAppSecret -App 0x0123456789abcdef0123456789abcdef01234567 -Value $c -SmsUrl $sms", "SmsNotAuthorized,IExecSecrets.Commands.PushIExecAppSecretCommand"),
            ("Push-IExecRequesterSecret x1 -Value $c -SmsUrl $r400", "SmsBadRequest,IExecSecrets.Commands.PushIExecRequesterSecretCommand"),
            ("Push-IExecWeb2Secret x1 -Value $c -SmsUrl $r413", "SmsPayloadTooLarge,IExecSecrets.Commands.PushIExecWeb2SecretCommand"),
            ("Push-IExecRequesterSecret x1 -Value $c -SmsUrl $r500", "SmsServerError,IExecSecrets.Commands.PushIExecRequesterSecretCommand"),
            ("Push-IExecRequesterSecret x1 -Value $c -SmsUrl $refused", "SmsUnreachable,IExecSecrets.Commands.PushIExecRequesterSecretCommand"),
            ("Push-IExecRequesterSecret 'bad name' -Value $c -SmsUrl $sms", "InvalidSecretName,IExecSecrets.Commands.PushIExecRequesterSecretCommand"),
        };

        foreach (var (script, errorId) in scripts)
        {
            var result = host.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; " + script + " -Verbose", Vars(sms, badRequest, tooLarge, serverError, closedPort));

            Assert.Equal(errorId, result.SingleError().FullyQualifiedErrorId);
            AssertNoCanary(result, script);
        }

        // The timeout path: every request is held far beyond the 1 s client timeout, retries included.
        var holdEverything = new DevSmsFaults { Rate = 1, Kinds = [DevSmsFaultKind.Delay], Delay = TimeSpan.FromSeconds(30) };
        await using var slowSms = await DevSmsHost.StartAsync(holdEverything);
        const string timeoutScript = "Push-IExecRequesterSecret x1 -Value $c -SmsUrl $slow -TimeoutSec 1";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var timedOut = host.Run(
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; " + timeoutScript + " -Verbose",
            new Dictionary<string, object?>(Vars(sms)) { ["slow"] = slowSms.Url });

        clock.Stop();

        var timeoutError = timedOut.SingleError();
        // The retry budget is the behaviour here: 4 attempts of 1 s plus backoff; the default 30 s timeout would take minutes.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal("SmsTimeout,IExecSecrets.Commands.PushIExecRequesterSecretCommand", timeoutError.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.OperationTimeout, timeoutError.CategoryInfo.Category);
        Assert.True(slowSms.Server.InjectedFaultCount > 0);
        using (var key = WalletKey.FromHex(ModuleHost.TestPrivateKey))
        {
            Assert.Null(await slowSms.Server.GetRequesterSecretAsync(key.Address, "x1"));
        }

        AssertNoCanary(timedOut, timeoutScript);

        // Each scripted server answered the existence check 404, then refused the write that carried the value: the error
        // path handled an answer to a request holding the canary.
        Assert.All(new[] { badRequest, tooLarge, serverError }, server =>
            Assert.True(server.Received.Any(r => r.Method is "POST" or "PUT" && r.BodyText.Contains(Canary, StringComparison.Ordinal)), string.Join(",", server.Requests)));
        var scanned = sandbox.Files().Concat(FilesUnder(sms.Directory)).Concat(FilesUnder(slowSms.Directory)).Distinct().ToList();
        Assert.Contains(scanned, f => f.StartsWith(sms.Directory, StringComparison.Ordinal));
        foreach (var file in scanned)
        {
            Assert.DoesNotContain(Canary, ReadShared(file));
        }
    }

    [Fact]
    public async Task FaultySms_500PipedPushes_EachPushedExactlyOnceOrReportedFailed()
    {
        var faults = new DevSmsFaults { Rate = 1.0 / 3, Seed = 7, Delay = TimeSpan.FromSeconds(1), AfterWriteShare = 0.5 };
        await using var sms = await DevSmsHost.StartAsync(faults);
        using var host = new ModuleHost();
        host.ConnectTestWallet();
        var names = Enumerable.Range(0, 500).Select(i => $"s{i:D3}").ToArray();

        var result = host.Run("$names | Push-IExecRequesterSecret -Value $c -SmsUrl $sms -ThrottleLimit 16", new Dictionary<string, object?> { ["names"] = names, ["c"] = ModuleHost.Secure("fault-value"), ["sms"] = sms.Url });

        Assert.Null(result.Terminating);
        var pushed = result.Output.Select(o => (IExecSecretPushResult)o.BaseObject).ToList();
        var failed = result.Errors.Select(e => (string)e.TargetObject).ToList();
        Assert.True(500 == pushed.Count + failed.Count, $"{pushed.Count} pushed + {failed.Count} failed: " + string.Join(" | ", result.Errors.Take(5).Select(e => $"{e.FullyQualifiedErrorId} {e.TargetObject}")));
        var reported = pushed.Select(p => p.Name).Concat(failed).Order().ToList();
        Assert.True(names.Order().SequenceEqual(reported), "missing: " + string.Join(",", names.Except(reported).Take(5)) + " extra: " + string.Join(",", reported.Except(names).Take(5)) + " dup: " + string.Join(",", reported.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).Take(5)));
        Assert.True(sms.Server.InjectedFaultCount > 50, $"only {sms.Server.InjectedFaultCount} faults were injected");
        using var key = WalletKey.FromHex(ModuleHost.TestPrivateKey);
        foreach (var p in pushed)
        {
            Assert.NotNull(await sms.Server.GetRequesterSecretAsync(key.Address, p.Name));
        }

        foreach (var name in failed)
        {
            Assert.Null(await sms.Server.GetRequesterSecretAsync(key.Address, name));
        }

        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    private const string ScriptedFailure = "{\"error\":[\"scripted failure\"]}";

    private static IEnumerable<string> FilesUnder(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }) : [];

    private static Dictionary<string, object?> Vars(DevSmsHost sms, ScriptedHttpServer? r400 = null, ScriptedHttpServer? r413 = null, ScriptedHttpServer? r500 = null, int closedPort = 1) => new()
    {
        ["c"] = ModuleHost.Secure(Canary),
        ["sms"] = sms.Url,
        ["r400"] = r400?.Address,
        ["r413"] = r413?.Address,
        ["r500"] = r500?.Address,
        ["refused"] = $"http://127.0.0.1:{closedPort}",
    };

    private static void AssertNoCanary(RunResult result, string script)
    {
        var texts = new List<string?>();
        texts.AddRange(result.Output.Select(o => o.ToString()));
        texts.AddRange(result.Output.SelectMany(o => o.Properties.Select(p => p.Value?.ToString())));
        texts.AddRange(result.Verbose);
        texts.AddRange(result.Debug);
        texts.AddRange(result.Warning);
        texts.AddRange(result.Information);
        texts.AddRange(result.ProgressText);
        foreach (var error in result.AllErrors)
        {
            texts.Add(error.ToString());
            texts.Add(error.TargetObject?.ToString());
            texts.Add(error.ErrorDetails?.Message);
            texts.Add(error.ErrorDetails?.RecommendedAction);
            texts.Add(error.CategoryInfo.ToString());
            for (var ex = error.Exception; ex is not null; ex = ex.InnerException)
            {
                texts.Add(ex.Message);
                texts.Add(ex.ToString());
            }
        }

        Assert.All(texts, text => Assert.False(text?.Contains(Canary, StringComparison.Ordinal) ?? false, $"canary leaked by: {script}"));
    }

    private static string ReadShared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    /// <summary>
    /// TMPDIR, HOME and XDG_CONFIG_HOME pointed into one private folder until disposed (process-wide variables: the
    /// module tests run one at a time), so every file the code under test writes can be found and searched.
    /// </summary>
    private sealed class EnvironmentSandbox : IDisposable
    {
        private static readonly string[] Names = ["TMPDIR", "HOME", "XDG_CONFIG_HOME"];
        private readonly Dictionary<string, string?> _saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

        public EnvironmentSandbox()
        {
            Root = Directory.CreateTempSubdirectory("iexec-canary-").FullName;
            foreach (var name in Names) Environment.SetEnvironmentVariable(name, Directory.CreateDirectory(Path.Combine(Root, name.ToLowerInvariant())).FullName);
            Work = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
        }

        public string Root { get; }

        public string Work { get; }

        public IEnumerable<string> Files() => FilesUnder(Root);

        public void Dispose()
        {
            foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the folder is the OS temp folder's to clean.
            }
        }
    }
}
